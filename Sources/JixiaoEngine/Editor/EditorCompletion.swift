/// A word an editor may offer while one types.
public struct CompletionWord: Sendable, Hashable {
  public enum Kind: Sendable, Hashable { case name, keyword, function }
  public var text: String
  public var kind: Kind
  public var detail: String
}

extension SymbolIndex {
  /// The names declared here and in the base files given, then the keywords and functions in
  /// Chinese, and in English too where the file writes English keywords.
  public func completions(bases: [SymbolIndex] = []) -> [CompletionWord] {
    var seen: Set<String> = []
    var words: [CompletionWord] = []
    for symbol in ([self] + bases).flatMap(\.symbols) where seen.insert(symbol.name).inserted {
      words.append(CompletionWord(text: symbol.name, kind: .name, detail: symbol.kind.rawValue))
    }
    let languages = usesEnglish ? 2 : 1
    for keyword in Keyword.allCases {
      for spelling in keyword.spellings.prefix(languages) {
        words.append(CompletionWord(text: spelling, kind: .keyword, detail: "关键字"))
      }
    }
    for builtin in Builtin.allCases {
      for spelling in builtin.spellings.prefix(languages) {
        words.append(CompletionWord(text: spelling, kind: .function, detail: "函数"))
      }
    }
    return words
  }
}
