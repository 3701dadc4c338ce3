/// Command-line words split into positional arguments and options, checked against what a
/// command accepts, so that a typo is a usage error rather than silently ignored.
struct Arguments {
  var positional: [String] = []
  var options: [String: String] = [:]
  var flags: Set<String> = []

  struct UsageError: Error {
    var message: String
  }

  init(_ words: [String], valueOptions: Set<String>, flagOptions: Set<String>) throws(UsageError) {
    var index = 0
    while index < words.count {
      let word = words[index]
      index += 1
      guard word.hasPrefix("--"), word.count > 2 else {
        positional.append(word)
        continue
      }
      var name = String(word.dropFirst(2))
      var value: String?
      if let equals = name.firstIndex(of: "=") {
        value = String(name[name.index(after: equals)...])
        name = String(name[..<equals])
      }
      if flagOptions.contains(name) {
        guard value == nil else { throw UsageError(message: "选项 --\(name) 不带值") }
        flags.insert(name)
      } else if valueOptions.contains(name) {
        if value == nil {
          guard index < words.count else { throw UsageError(message: "选项 --\(name) 需要一个值") }
          value = words[index]
          index += 1
        }
        options[name] = value
      } else {
        throw UsageError(message: "不认识的选项 --\(name)")
      }
    }
  }
}
