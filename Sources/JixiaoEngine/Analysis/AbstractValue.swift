/// What the static checks know about a value without data: a range for numbers, the possible
/// truths of a condition, the possible options of a choice.
indirect enum AbstractValue: Equatable, Sendable {
  case number(Interval, integer: Bool)
  case boolean(canBeTrue: Bool, canBeFalse: Bool)
  case choice(Set<String>)
  case text(String)
  case list(AbstractValue, count: Int)
  /// Nothing is known (an error was already reported, or a cycle).
  case unknown

  static let anyBoolean = AbstractValue.boolean(canBeTrue: true, canBeFalse: true)

  var interval: Interval? {
    switch self {
    case .number(let interval, _): interval
    case .list(let element, _): element.interval
    default: nil
    }
  }

  var isInteger: Bool {
    switch self {
    case .number(_, let integer): integer
    case .list(let element, _): element.isInteger
    default: false
    }
  }

  /// What either of two values can be.
  func joined(_ other: AbstractValue) -> AbstractValue {
    switch (self, other) {
    case (.number(let a, let x), .number(let b, let y)): return .number(a.hull(b), integer: x && y)
    case (.boolean(let t1, let f1), .boolean(let t2, let f2)):
      return .boolean(canBeTrue: t1 || t2, canBeFalse: f1 || f2)
    case (.choice(let a), .choice(let b)): return .choice(a.union(b))
    case (.choice(let a), .text(let b)), (.text(let b), .choice(let a)): return .choice(a.union([b]))
    case (.list(let a, let n), .list(let b, _)): return .list(a.joined(b), count: n)
    default: return self == other ? self : .unknown
    }
  }

  /// The domain a declared input can take.
  static func domain(of spec: InputSpec) -> AbstractValue {
    let element: AbstractValue
    switch spec.kind {
    case .amount, .percent, .number, .points: element = .number(spec.numberDomain, integer: false)
    case .count: element = .number(spec.numberDomain, integer: true)
    case .boolean: element = anyBoolean
    // A day is its day number: comparisons and 天数 are then the number's.
    case .date: element = .number(.everything, integer: true)
    case .choice(let options): element = .choice(Set(options))
    }
    return spec.length.map { .list(element, count: $0) } ?? element
  }
}
