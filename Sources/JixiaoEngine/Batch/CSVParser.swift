/// One field of a table record: its text without quotes, and where it stands in the record's text.
struct TableField: Sendable {
  var text: String
  var start: Int
  var end: Int
}

/// One record of a CSV or TSV file: its fields and its own text, which spans several lines when a
/// quoted field holds a line break.
struct TableRecord: Sendable {
  /// The file's line the record starts on (1-based).
  var line: Int
  var text: [Unicode.Scalar] = []
  var fields: [TableField] = []
  /// What is wrong with the record's layout, and where in its text.
  var problem: (message: String, offset: Int)?

  var isBlank: Bool { problem == nil && fields.allSatisfy { $0.text.trimmingWhitespace().isEmpty } }
}

/// RFC 4180, read one line at a time so that a file of any length is never held whole: fields
/// separated by commas (tabs for TSV), quoted with "…" when they hold a separator, a quote
/// (written "") or a line break. A line's trailing CR (CRLF files) is not part of it.
struct CSVParser {
  let separator: Unicode.Scalar
  private var record: TableRecord?
  private var field = String.UnicodeScalarView()
  private var fieldStart = 0
  private var inQuotes = false
  /// The field's closing quote was read: only a separator or the end of the line may follow.
  private var closed = false

  init(separator: Unicode.Scalar) { self.separator = separator }

  /// No record is open: the next line starts one.
  var isIdle: Bool { record == nil }

  /// The record this line completes, if it does; a quoted field left open continues on the next line.
  mutating func feed(_ line: some Collection<Unicode.Scalar>, number: Int) -> TableRecord? {
    var scalars = Array(line)
    if scalars.last == "\r" { scalars.removeLast() }
    var current = record ?? TableRecord(line: number)
    if record != nil {
      current.text.append("\n")
      field.append("\n")
    }
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      let offset = current.text.count
      current.text.append(scalar)
      index += 1
      if inQuotes {
        if scalar != "\"" {
          field.append(scalar)
        } else if index < scalars.count, scalars[index] == "\"" {
          field.append("\"")
          current.text.append("\"")
          index += 1
        } else {
          inQuotes = false
          closed = true
        }
      } else if scalar == separator {
        current.fields.append(TableField(text: String(field), start: fieldStart, end: offset))
        startField(at: offset + 1)
      } else if scalar == "\"" && field.isEmpty && !closed {
        inQuotes = true
        fieldStart = offset + 1
      } else {
        if closed && current.problem == nil {
          current.problem = ("引号括起的一格在右引号后还有内容：格中的引号要写成两个（\"\"）", offset)
        }
        field.append(scalar)
      }
    }
    guard !inQuotes else {
      record = current
      // A quote left open must not swallow a whole file into memory: past this many lines it is
      // taken as unbalanced, and reading starts afresh on the next line.
      guard number - current.line + 1 >= Self.longestField else { return nil }
      return finish("从第 \(current.line) 行开始的一格以引号开头，\(Self.longestField) 行内都没有右引号：这些行都被当成了这一格")
    }
    current.fields.append(TableField(text: String(field), start: fieldStart, end: current.text.count))
    record = nil
    startField(at: 0)
    return current
  }

  /// The most lines one quoted field may span.
  static let longestField = 10_000

  /// A record still open at the end of the file: its quote was never closed.
  mutating func finish(_ problem: String? = nil) -> TableRecord? {
    guard var open = record else { return nil }
    open.problem = (problem ?? "从第 \(open.line) 行开始的一格以引号开头，直到文件末尾都没有右引号：其后各行都被当成了这一格", fieldStart)
    open.fields.append(TableField(text: String(field), start: fieldStart, end: open.text.count))
    record = nil
    inQuotes = false
    startField(at: 0)
    return open
  }

  /// The record being read is dropped (a line of it could not be decoded); returns where it began.
  mutating func abandon() -> Int? {
    defer {
      record = nil
      inQuotes = false
      startField(at: 0)
    }
    return record?.line
  }

  private mutating func startField(at offset: Int) {
    field = String.UnicodeScalarView()
    fieldStart = offset
    closed = false
  }
}
