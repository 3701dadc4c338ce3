/// A word an editor may offer while one types.
public struct CompletionWord: Sendable, Hashable {
  public enum Kind: Sendable, Hashable { case name, keyword, function }
  public var text: String
  public var kind: Kind
  public var detail: String
}

extension SymbolIndex {
  /// The names usable at `offset` (a 设 only inside its indicator; indicators only where tests
  /// name them) from this file and the base files given, then the keywords and functions in
  /// Chinese, and in English too where the file writes English keywords.
  public func completions(at offset: Int? = nil, bases: [SymbolIndex] = []) -> [CompletionWord] {
    var seen: Set<String> = []
    var words: [CompletionWord] = []
    let own = symbols.filter { symbol in
      let inScope = symbol.scope.map { scope in
        offset.map { scope.start.offset <= $0 && $0 <= scope.end.offset } ?? true
      }
      return (symbol.kind != .indicator || hasTests) && inScope != false
    }
    let fromBases = bases.flatMap(\.symbols).filter { $0.kind == .indicator ? hasTests : $0.scope == nil }
    for symbol in own + fromBases where seen.insert(symbol.name).inserted {
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
