/// Interval arithmetic for the static checks: what a formula can give over its inputs' declared
/// domains. Unbounded ends are nil; an overflowing end becomes unbounded, never a trap.
extension Interval {
  public static let everything = Interval(lower: nil, lowerClosed: false, upper: nil, upperClosed: false)
  public static let nonNegative = Interval(lower: .zero, lowerClosed: true, upper: nil, upperClosed: false)

  public static func point(_ value: ExactDecimal) -> Interval {
    Interval(lower: value, lowerClosed: true, upper: value, upperClosed: true)
  }

  public static func closed(_ low: ExactDecimal, _ high: ExactDecimal) -> Interval {
    Interval(lower: low, lowerClosed: true, upper: high, upperClosed: true)
  }

  public var isEmpty: Bool {
    guard let lower, let upper else { return false }
    return lower > upper || (lower == upper && !(lowerClosed && upperClosed))
  }

  public func intersection(_ other: Interval) -> Interval {
    var result = self
    if let low = other.lower {
      if result.lower == nil || low > result.lower! || (low == result.lower! && !other.lowerClosed) {
        result.lower = low
        result.lowerClosed = other.lowerClosed
      }
    }
    if let high = other.upper {
      if result.upper == nil || high < result.upper! || (high == result.upper! && !other.upperClosed) {
        result.upper = high
        result.upperClosed = other.upperClosed
      }
    }
    return result
  }

  /// The smallest interval holding both.
  public func hull(_ other: Interval) -> Interval {
    if isEmpty { return other }
    if other.isEmpty { return self }
    var result = self
    if let low = lower, let otherLow = other.lower {
      if otherLow < low || (otherLow == low && other.lowerClosed) {
        result.lower = otherLow
        result.lowerClosed = other.lowerClosed || (otherLow == low && lowerClosed)
      }
    } else {
      result.lower = nil
    }
    if let high = upper, let otherHigh = other.upper {
      if otherHigh > high || (otherHigh == high && other.upperClosed) {
        result.upper = otherHigh
        result.upperClosed = other.upperClosed || (otherHigh == high && upperClosed)
      }
    } else {
      result.upper = nil
    }
    return result
  }

  /// The parts of this interval that none of `covers` reaches, in order.
  public func uncovered(by covers: [Interval]) -> [Interval] {
    var remaining = isEmpty ? [] : [self]
    for cover in covers where !cover.isEmpty {
      remaining = remaining.flatMap { $0.subtracting(cover) }
    }
    return remaining
  }

  func subtracting(_ cover: Interval) -> [Interval] {
    guard !intersection(cover).isEmpty else { return [self] }
    var parts: [Interval] = []
    if let low = cover.lower {
      let below = intersection(Interval(lower: nil, lowerClosed: false, upper: low, upperClosed: !cover.lowerClosed))
      if !below.isEmpty { parts.append(below) }
    }
    if let high = cover.upper {
      let above = intersection(Interval(lower: high, lowerClosed: !cover.upperClosed, upper: nil, upperClosed: false))
      if !above.isEmpty { parts.append(above) }
    }
    return parts
  }

  // MARK: Arithmetic

  /// An end of an interval: a number, or unbounded with a sign.
  enum End: Equatable {
    case finite(ExactDecimal, closed: Bool)
    case infinite(negative: Bool)

    var closed: Bool {
      if case .finite(_, let closed) = self { return closed }
      return false
    }

    static func < (a: End, b: End) -> Bool {
      switch (a, b) {
      case (.infinite(let negative), .infinite(let other)): negative && !other
      case (.infinite(let negative), .finite): negative
      case (.finite, .infinite(let negative)): !negative
      case (.finite(let x, _), .finite(let y, _)): x < y
      }
    }

    var sign: Int {
      switch self {
      case .infinite(let negative): negative ? -1 : 1
      case .finite(let value, _): value.isZero ? 0 : (value.isNegative ? -1 : 1)
      }
    }
  }

  var lowerEnd: End { lower.map { .finite($0, closed: lowerClosed) } ?? .infinite(negative: true) }
  var upperEnd: End { upper.map { .finite($0, closed: upperClosed) } ?? .infinite(negative: false) }

  init(from low: End, to high: End) {
    switch low {
    case .finite(let value, let closed): self.init(lower: value, lowerClosed: closed, upper: nil, upperClosed: false)
    case .infinite: self.init(lower: nil, lowerClosed: false, upper: nil, upperClosed: false)
    }
    if case .finite(let value, let closed) = high {
      upper = value
      upperClosed = closed
    }
  }

  static func combine(
    _ a: End, _ b: End, _ operation: (ExactDecimal, ExactDecimal) throws -> ExactDecimal, product: Bool
  )
    -> End
  {
    switch (a, b) {
    case (.finite(let x, let c), .finite(let y, let d)):
      guard let value = try? operation(x, y) else {
        return .infinite(negative: product ? a.sign * b.sign < 0 : x.isNegative)
      }
      return .finite(value, closed: c && d)
    case (.finite(let x, let c), .infinite) where product && x.isZero,
      (.infinite, .finite(let x, let c))
    where product && x.isZero:
      return .finite(.zero, closed: c)
    case (.infinite(let negative), _) where !product: return .infinite(negative: negative)
    case (_, .infinite(let negative)) where !product: return .infinite(negative: negative)
    default: return .infinite(negative: a.sign * b.sign < 0)
    }
  }

  static func lowest(_ ends: [End]) -> End {
    ends.dropFirst().reduce(ends[0]) { best, end in
      end < best || (end == best) || (!(best < end) && end.closed) ? end : best
    }
  }

  static func highest(_ ends: [End]) -> End {
    ends.dropFirst().reduce(ends[0]) { best, end in best < end || (!(end < best) && end.closed) ? end : best }
  }

  public static func + (a: Interval, b: Interval) -> Interval {
    Interval(
      from: combine(a.lowerEnd, b.lowerEnd, { try $0.adding($1) }, product: false),
      to: combine(a.upperEnd, b.upperEnd, { try $0.adding($1) }, product: false))
  }

  public var negated: Interval {
    Interval(
      lower: upper.flatMap { try? $0.negated() }, lowerClosed: upperClosed,
      upper: lower.flatMap { try? $0.negated() }, upperClosed: lowerClosed)
  }

  public static func - (a: Interval, b: Interval) -> Interval { a + b.negated }

  public static func * (a: Interval, b: Interval) -> Interval {
    let products = [
      combine(a.lowerEnd, b.lowerEnd, { try $0.multiplied(by: $1) }, product: true),
      combine(a.lowerEnd, b.upperEnd, { try $0.multiplied(by: $1) }, product: true),
      combine(a.upperEnd, b.lowerEnd, { try $0.multiplied(by: $1) }, product: true),
      combine(a.upperEnd, b.upperEnd, { try $0.multiplied(by: $1) }, product: true),
    ]
    return Interval(from: lowest(products), to: highest(products))
  }

  /// 1 ÷ x for an interval that excludes zero.
  var reciprocal: Interval {
    func invert(_ end: End) -> End {
      switch end {
      case .infinite: return .finite(.zero, closed: false)
      case .finite(let value, let closed):
        guard let inverse = try? ExactDecimal.one.divided(by: value) else {
          return .infinite(negative: value.isNegative)
        }
        return .finite(inverse, closed: closed)
      }
    }
    return Interval(from: invert(upperEnd), to: invert(lowerEnd))
  }

  /// Zero removed when it is an end ([0, 5] becomes (0, 5]); an interior zero stays.
  var excludingZeroEnd: Interval {
    var result = self
    if lower == .zero { result.lowerClosed = false }
    if upper == .zero { result.upperClosed = false }
    return result
  }

  public static func / (a: Interval, b: Interval) -> Interval {
    guard !b.contains(.zero) else { return .everything }
    return a * b.reciprocal
  }

  func mapEnds(_ transform: (ExactDecimal) -> ExactDecimal) -> Interval {
    Interval(
      lower: lower.map(transform), lowerClosed: lowerClosed, upper: upper.map(transform), upperClosed: upperClosed)
  }

  /// For whole numbers: each end moves to the nearest whole number inside, so (0, ∞) is [1, ∞).
  var tightenedToIntegers: Interval {
    var result = self
    if let low = lower {
      let ceiling = low.ceiling
      result.lower = ceiling == low && !lowerClosed ? (try? ceiling.adding(.one)) ?? low : ceiling
      result.lowerClosed = true
    }
    if let high = upper {
      let floor = high.floor
      result.upper = floor == high && !upperClosed ? (try? floor.subtracting(.one)) ?? high : floor
      result.upperClosed = true
    }
    return result
  }
}

extension ExactDecimal {
  /// The largest whole number not above this value.
  var floor: ExactDecimal {
    let scale = ExactDecimal.one.units
    let remainder = units % scale
    let whole = units - remainder
    guard remainder < 0 else { return ExactDecimal(units: whole) }
    let (below, overflow) = whole.subtractingReportingOverflow(scale)
    return overflow ? self : ExactDecimal(units: below)
  }

  /// The smallest whole number not below this value.
  var ceiling: ExactDecimal {
    let scale = ExactDecimal.one.units
    let remainder = units % scale
    let whole = units - remainder
    guard remainder > 0 else { return ExactDecimal(units: whole) }
    let (above, overflow) = whole.addingReportingOverflow(scale)
    return overflow ? self : ExactDecimal(units: above)
  }
}
