/// Which syntax errors only repeat a lexical one: those at the first token after a character the
/// lexer dropped, and all after a string that runs to the end of the file. Answered by binary
/// search over the problems' and tokens' offsets, so a file with thousands of both stays linear.
struct LexicalCascade {
  private let unterminatedFrom: Int?
  /// Offsets of the dropped characters, in order.
  private let dropped: [Int]
  /// Offsets at which the tokens start, in order.
  private let tokenStarts: [Int]

  init(_ lexical: [Diagnostic], tokens: [Token]) {
    unterminatedFrom = lexical.filter { $0.code == .unterminatedString }.map(\.span.start.offset).min()
    dropped = lexical.filter { $0.code == .unknownCharacter }.map(\.span.start.offset).sorted()
    tokenStarts = tokens.map(\.start)
  }

  func repeats(_ diagnostic: Diagnostic) -> Bool {
    let at = diagnostic.span.start.offset
    if let unterminatedFrom, at >= unterminatedFrom { return true }
    // The last dropped character at or before the error; no token may start between the two.
    let index = LexicalCascade.firstIndex(in: dropped) { $0 > at }
    guard index > 0 else { return false }
    let from = dropped[index - 1]
    let next = LexicalCascade.firstIndex(in: tokenStarts) { $0 >= from }
    return next == tokenStarts.count || tokenStarts[next] >= at
  }

  /// The first index whose element satisfies a predicate that is false, then true, along the array.
  private static func firstIndex(in sorted: [Int], where predicate: (Int) -> Bool) -> Int {
    var low = 0
    var high = sorted.count
    while low < high {
      let middle = (low + high) / 2
      if predicate(sorted[middle]) { high = middle } else { low = middle + 1 }
    }
    return low
  }
}
