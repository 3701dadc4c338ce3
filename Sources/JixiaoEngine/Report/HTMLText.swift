/// Text for an HTML page: markup escaped, control characters shown as U+XXXX.
func escapedForHTML(_ text: String) -> String {
  var result = ""
  for character in text.visible(limit: 4000) {
    switch character {
    case "&": result += "&amp;"
    case "<": result += "&lt;"
    case ">": result += "&gt;"
    case "\"": result += "&quot;"
    case "'": result += "&#39;"
    default: result.append(character)
    }
  }
  return result
}
