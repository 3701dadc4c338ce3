import Foundation

/// The short way through a department table: a line without quotes whose cells are written
/// plainly (numbers in ASCII digits in the column's own unit, 是/否, an option as the rules spell
/// it) is read straight from its bytes into the compiled plan's slots and scored. Any other line,
/// and any record the compiled plan gives up on, goes the full way through `DataDecoder` and
/// `Scorer`, so the result of every line is the one the full way gives: only faster.
struct PlainRows {
  private enum Reading {
    case subject, year
    /// An input's value, or one element of a list input, and how its cells are written.
    case value(cell: Int, slot: Int, way: Int)
    case reason(cell: Int)
    /// Read only the full way: the report's own scores, dates, units other than the input's.
    case fullWayUnlessBlank
    case ignored
  }

  private enum Written {
    /// `percent`: the number is a percentage (the header says %, or the cell ends with %).
    case number(percent: Bool, cell: Int)
    case boolean
    case option(cell: Int)
  }

  private let compiled: CompiledPlan
  private let separator: UInt8
  private let readings: [Reading]
  /// How each value column is written, by the position its reading gives.
  private let writtenWays: [Written]
  /// By cell: what a number must be (`InputSpec.problem`: its domain, whole for a count, and
  /// whether it is a percentage), and a choice's options by their bytes.
  private let numbers: [(check: NumberCheck, percent: Bool)?]
  private let options: [[(bytes: [UInt8], number: Int128)]]
  /// Assessments and the value that needs no reason (满分, 是).
  private let best: [(cell: Int, slot: Int, value: Int128)]
  /// Every input and how many cells it takes: a list's cells are all filled or all blank.
  private let inputLengths: [(cell: Int, length: Int)]
  private let grades: [String]
  private var record: CompiledPlan.Record
  private var frame: CompiledPlan.Frame
  private var filled: [Int]
  private var reasoned: [Bool]

  init?(header: TableHeader, compiled: CompiledPlan, separator: Unicode.Scalar) {
    guard separator.isASCII, header.projectCode == nil else { return nil }
    let plan = compiled.plan
    self.compiled = compiled
    self.separator = UInt8(separator.value)
    let layout = compiled.layout
    let cells = plan.program.cells
    var ways: [Written] = []
    readings = header.columns.map { entry in
      guard let (column, unit) = entry else { return .ignored }
      switch column.meaning {
      case .subject: return .subject
      case .year: return .year
      case .reason(let cell): return .reason(cell: cell)
      case .input(let cell, let element):
        guard let spec = cells[cell].input,
          let written = Self.written(spec, cell: cell, type: cells[cell].type.element, unit: unit)
        else { return .fullWayUnlessBlank }
        ways.append(written)
        return .value(cell: cell, slot: layout.base[cell] + (element ?? 0), way: ways.count - 1)
      default: return .fullWayUnlessBlank
      }
    }
    writtenWays = ways
    numbers = zip(cells, compiled.inputChecks).map { cell, check in check.map { ($0, cell.input?.kind == .percent) } }
    options = cells.map { cell in
      guard case .choice(let options)? = cell.input?.kind else { return [] }
      return options.compactMap { option in layout.texts[option].map { (Array(option.utf8), $0) } }
    }
    best = cells.indices.compactMap { cell in
      guard let value = cells[cell].input?.best, let slot = layout.slot(of: value) else { return nil }
      return (cell, layout.base[cell], slot)
    }
    inputLengths = cells.indices.compactMap { cell in
      guard cells[cell].input != nil else { return nil }
      return (cell, layout.length[cell])
    }
    grades = plan.program.grades.map(\.name)
    record = CompiledPlan.Record(
      slots: Array(repeating: 0, count: layout.slotCount), given: Array(repeating: false, count: cells.count))
    frame = compiled.frame()
    filled = Array(repeating: 0, count: cells.count)
    reasoned = Array(repeating: false, count: cells.count)
  }

  /// How a column's cells are read the short way; nil where only the full way reads them.
  private static func written(_ spec: InputSpec, cell: Int, type: ValueType, unit: String?) -> Written? {
    switch (spec.kind, type) {
    case (.boolean, _) where unit == nil: return .boolean
    case (.choice, _) where unit == nil: return .option(cell: cell)
    case (.percent, .number):
      return unit == nil || unit == "%" || unit == "％" ? .number(percent: unit != nil, cell: cell) : nil
    case (.amount(let declared), .number):
      return unit == nil || unit == (declared ?? "元") ? .number(percent: false, cell: cell) : nil
    case (.count, .number), (.number, .number), (.points, .number):
      return unit == nil ? .number(percent: false, cell: cell) : nil
    default: return nil
    }
  }

  /// The line's scores, or nil when the line goes the full way.
  mutating func score(_ line: String, number: Int) -> BatchItem? {
    var line = line
    return line.withUTF8 { bytes in read(bytes, number: number) }
  }

  private mutating func read(_ bytes: UnsafeBufferPointer<UInt8>, number: Int) -> BatchItem? {
    var end = bytes.count
    if end > 0 && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    guard let base = bytes.baseAddress, memchr(base, 0x22, end) == nil else { return nil }
    for cell in filled.indices {
      filled[cell] = 0
      reasoned[cell] = false
    }
    var subject = ""
    var year: String?
    var position = 0
    var start = 0
    while start <= end {
      // memchr finds the next separator many bytes at a time.
      let stop =
        memchr(base + start, Int32(separator), end - start).map { $0 - UnsafeMutableRawPointer(mutating: base) }
        ?? end
      let raw = UnsafeBufferPointer(rebasing: bytes[start..<stop])
      let field = Self.trimmed(raw)
      start = stop + 1
      defer { position += 1 }
      guard position < readings.count else {
        if !raw.isEmpty { return nil }  // cells past the header: the full way says so
        continue
      }
      if field.isEmpty { continue }
      switch readings[position] {
      case .ignored: continue
      case .fullWayUnlessBlank: return nil
      case .subject: subject = Self.text(field)
      case .year: year = Self.text(field)
      case .reason(let cell):
        // Only whether there is one: a cell starting with a character that is not whitespace has.
        reasoned[cell] = field.first.map(Self.canStartText) == true || !Self.text(field).isEmpty
      case .value(let cell, let slot, let way):
        guard let value = Self.value(field, writtenWays[way], numbers, options) else { return nil }
        record.slots[slot] = value
        filled[cell] += 1
      }
    }
    // Fewer cells than the header has columns: the full way says so.
    guard position >= readings.count, !subject.isEmpty else { return nil }
    for (cell, length) in inputLengths {
      guard filled[cell] == 0 || filled[cell] == length else { return nil }
      record.given[cell] = filled[cell] == length
    }
    for (cell, slot, value) in best where record.given[cell] && record.slots[slot] != value && !reasoned[cell] {
      return nil  // a reason is missing: E032 the full way
    }
    guard compiled.score(record, in: &frame) else { return nil }
    let scores = CompiledScores(
      subject: subject, year: year, total: frame.total, grade: frame.grade.map { grades[$0] }, scores: frame.scores)
    return BatchItem(line: number, compiled: scores)
  }

  /// The cell as text without whitespace around it, as `trimmingWhitespace` gives it; checked
  /// scalar by scalar only where an end byte may belong to a whitespace character.
  private static func text(_ field: UnsafeBufferPointer<UInt8>) -> String {
    let text = String(decoding: field, as: UTF8.self)
    // The last character's first byte: back over continuation bytes (10xxxxxx).
    var last = field.count - 1
    while last > 0 && field[last] & 0xC0 == 0x80 { last -= 1 }
    guard let first = field.first, canStartText(first), canStartText(field[last]) else {
      return text.trimmingWhitespace()
    }
    return text
  }

  /// A byte that begins a character other than whitespace: printable ASCII, or the lead byte
  /// of a multi-byte character outside the blocks with whitespace (U+0085, U+00A0, U+1680,
  /// U+2000–U+205F, U+3000).
  private static func canStartText(_ byte: UInt8) -> Bool {
    (0x21...0x7E).contains(byte) || (byte >= 0xC3 && byte != 0xE1 && byte != 0xE2 && byte != 0xE3)
  }

  /// Without the ASCII spaces and tabs around it; other whitespace makes the cell unreadable here.
  private static func trimmed(_ field: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    var (low, high) = (0, field.count)
    while low < high && (field[low] == 0x20 || field[low] == 0x09) { low += 1 }
    while high > low && (field[high - 1] == 0x20 || field[high - 1] == 0x09) { high -= 1 }
    return UnsafeBufferPointer(rebasing: field[low..<high])
  }

  /// Static, with the tables it reads as arguments: a method would be given a copy of `self`
  /// for every cell.
  private static func value(
    _ field: UnsafeBufferPointer<UInt8>, _ written: Written,
    _ numbers: [(check: NumberCheck, percent: Bool)?], _ options: [[(bytes: [UInt8], number: Int128)]]
  ) -> Int128? {
    switch written {
    case .boolean:
      // 是 is E6 98 AF in UTF-8, 否 is E5 90 A6.
      if field.count == 3 && field[0] == 0xE6 && field[1] == 0x98 && field[2] == 0xAF { return 1 }
      if field.count == 3 && field[0] == 0xE5 && field[1] == 0x90 && field[2] == 0xA6 { return 0 }
      let lower = field.map { $0 | 0x20 }  // ASCII letters to lower case
      if lower.elementsEqual("true".utf8) { return 1 }
      if lower.elementsEqual("false".utf8) { return 0 }
      return nil
    case .option(let cell):
      return options[cell].first { $0.bytes.elementsEqual(field) }?.number
    case .number(let percentColumn, let cell):
      guard let (check, isPercent) = numbers[cell] else { return nil }
      let hasPercent = field.last == UInt8(ascii: "%")
      // A percentage needs % in its cell or its header; no other number may have one.
      guard isPercent ? (hasPercent || percentColumn) : !hasPercent,
        let number = Self.plainNumber(
          hasPercent ? UnsafeBufferPointer(rebasing: field.dropLast()) : field, percent: isPercent),
        check.accepts(number.units)
      else { return nil }
      return number.units
    }
  }

  /// `-12.5`: an optional sign, digits, and at most 18 places (16 for a percentage, which is
  /// divided by 100); anything else is nil.
  private static func plainNumber(_ text: UnsafeBufferPointer<UInt8>, percent: Bool) -> ExactDecimal? {
    var index = 0
    var negative = false
    if let first = text.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
      negative = first == UInt8(ascii: "-")
      index = 1
    }
    var (digits, high): (UInt64, UInt128) = (0, 0)  // the last 18 digits, and those before them
    var (wholeDigits, places) = (0, 0)
    var pointSeen = false
    while index < text.count {
      let byte = text[index]
      index += 1
      if byte == UInt8(ascii: "."), !pointSeen {
        pointSeen = true
        continue
      }
      guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), wholeDigits + places < 30 else { return nil }
      if wholeDigits + places == 18 {
        (high, digits) = (UInt128(digits), 0)
      }
      digits = digits * 10 + UInt64(byte - UInt8(ascii: "0"))
      if pointSeen { places += 1 } else { wholeDigits += 1 }
    }
    let count = wholeDigits + places
    // 30 digits at most: the part before the last 18 times 10^(count − 18) fits in 128 bits.
    let number = count > 18 ? high * ExactDecimal.pow10(count - 18) + UInt128(digits) : UInt128(digits)
    let shift = (percent ? 2 : 0) + places
    // "1." and ".5" are not numbers (as ExactDecimal(parsing:) has it).
    guard wholeDigits > 0, !pointSeen || places > 0, shift <= ExactDecimal.fractionDigits else { return nil }
    let (units, overflow) = number.multipliedReportingOverflow(
      by: ExactDecimal.pow10(ExactDecimal.fractionDigits - shift))
    guard !overflow, let value = try? ExactDecimal.make(magnitude: units, negative: negative) else { return nil }
    return value
  }
}

/// What a batch line scored the short way (`PlainRows`) gives: the same as its sheet would.
public struct CompiledScores: Sendable {
  public var subject: String
  public var year: String?
  public var total: ExactDecimal
  public var grade: String?
  /// Every plan row's score, in table order.
  public var scores: [ExactDecimal]
}
