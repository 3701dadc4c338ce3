/// "Did you mean …?" for a misspelt name: the closest known name, if it is close enough.
enum NameSuggestion {
  /// Close enough is a few slips for the name's length (a third of its characters), or one whole
  /// phrase added or dropped in a long name (…生态效益及可持续发展影响等 for …生态效益等).
  /// A name with nothing in common with the candidate is no slip of it, however short (x is not 设).
  static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
    let target = Array(name.unicodeScalars)
    var best: (name: String, distance: Int)?
    for candidate in candidates {
      let other = Array(candidate.unicodeScalars)
      let distance = editDistance(target, other)
      let close =
        (distance <= max(1, target.count / 3) && distance < max(target.count, other.count))
        || differByOnePhrase(target, other)
      if close && distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
    }
    return best?.name
  }

  /// The shorter name is the longer one with one run of characters taken out, and keeps at least
  /// four characters and half of the longer one.
  static func differByOnePhrase(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
    let shorter = min(a.count, b.count)
    let prefix = zip(a, b).prefix { $0 == $1 }.count
    let suffix = zip(a.reversed(), b.reversed()).prefix { $0 == $1 }.count
    return prefix + suffix >= shorter && shorter >= 4 && shorter * 2 >= max(a.count, b.count)
  }

  static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    for (i, x) in a.enumerated() {
      var current = [i + 1] + [Int](repeating: 0, count: b.count)
      for (j, y) in b.enumerated() {
        current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
