/// A JSON value to print; numbers are exact decimals printed as written, never via binary floats.
public indirect enum JSONOutput: Sendable {
  case object([(String, JSONOutput)])
  case array([JSONOutput])
  case string(String)
  case number(ExactDecimal)
  case integer(Int)
  case bool(Bool)
  case null

  public func rendered(indent: String = "") -> String {
    let inner = indent + "  "
    switch self {
    case .object(let members) where members.isEmpty: return "{}"
    case .object(let members):
      let lines = members.map { inner + JSONOutput.quoted($0.0) + ": " + $0.1.rendered(indent: inner) }
      return "{\n" + lines.joined(separator: ",\n") + "\n" + indent + "}"
    case .array(let elements) where elements.isEmpty: return "[]"
    case .array(let elements):
      if elements.allSatisfy(\.isScalar) {
        return "[" + elements.map { $0.rendered() }.joined(separator: ", ") + "]"
      }
      return "[\n" + elements.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
    case .string(let text): return JSONOutput.quoted(text)
    case .number(let number): return number.description
    case .integer(let number): return String(number)
    case .bool(let truth): return truth ? "true" : "false"
    case .null: return "null"
    }
  }

  /// On one line, for JSON Lines.
  public func compact() -> String {
    switch self {
    case .object(let members):
      "{" + members.map { JSONOutput.quoted($0.0) + ":" + $0.1.compact() }.joined(separator: ",") + "}"
    case .array(let elements): "[" + elements.map { $0.compact() }.joined(separator: ",") + "]"
    default: rendered()
    }
  }

  private var isScalar: Bool {
    switch self {
    case .object, .array: false
    default: true
    }
  }

  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      // Control characters, C1 included, never reach a terminal raw.
      case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
        let hex = String(scalar.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
