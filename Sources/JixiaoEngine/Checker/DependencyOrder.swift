extension Checker {
  /// Orders the cells so that each comes after the cells its formula uses, and reports every
  /// cycle by name. Iterative, so a long chain of definitions cannot exhaust the stack.
  mutating func orderCells() -> [Int] {
    let uses: [[Int]] = cells.indices.map { index in
      guard let syntax = cellSyntax[index] else { return [] }
      var names: [String] = []
      Checker.collectNames(syntax, into: &names)
      return Array(Set(names.compactMap { resolve($0, in: cellScopes[index]) })).sorted()
    }
    var usedBy = [[Int]](repeating: [], count: cells.count)
    var waiting = uses.map(\.count)
    for (index, used) in uses.enumerated() {
      for dependency in used { usedBy[dependency].append(index) }
    }
    var ready = cells.indices.filter { waiting[$0] == 0 }
    var order: [Int] = []
    while let index = ready.popLast() {
      order.append(index)
      for user in usedBy[index] {
        waiting[user] -= 1
        if waiting[user] == 0 { ready.append(user) }
      }
    }
    reportCycles(uses: uses, stuck: Set(cells.indices.filter { waiting[$0] > 0 }))
    return order
  }

  private mutating func reportCycles(uses: [[Int]], stuck: Set<Int>) {
    var reported = Set<Int>()
    for start in stuck.sorted() where !reported.contains(start) {
      // Walk through stuck cells until one repeats: that repetition is a cycle.
      var path: [Int] = []
      var seenAt: [Int: Int] = [:]
      var current = start
      while seenAt[current] == nil {
        seenAt[current] = path.count
        path.append(current)
        guard let next = uses[current].first(where: { stuck.contains($0) }) else { break }
        current = next
      }
      guard let loopStart = seenAt[current] else { continue }
      let loop = Array(path[loopStart...])
      if loop.contains(where: reported.contains) { continue }
      reported.formUnion(loop)
      let names = (loop + [loop[0]]).map { cells[$0].name.quotedName }.joined(separator: " → ")
      report(
        .definitionCycle, at: cells[loop[0]].span, "循环定义：\(names)",
        notes: ["每个定义只能用到在它之前算得出的值；请拆开这个循环"])
      // Cells that only depend on a cycle are not reported again.
      reported.formUnion(path)
    }
  }

  static func collectNames(_ expression: Expression, into names: inout [String]) {
    switch expression.kind {
    case .name(let name): names.append(name)
    case .number, .string, .boolean, .date: break
    case .list(let elements): for element in elements { collectNames(element, into: &names) }
    case .negate(let operand), .not(let operand): collectNames(operand, into: &names)
    case .binary(_, let left, let right):
      collectNames(left, into: &names)
      collectNames(right, into: &names)
    case .conditional(let condition, let whenTrue, let whenFalse):
      for part in [condition, whenTrue, whenFalse] { collectNames(part, into: &names) }
    case .call(_, let arguments): for argument in arguments { collectNames(argument, into: &names) }
    case .bands(let subject, let arms):
      collectNames(subject, into: &names)
      for arm in arms { collectNames(arm.result, into: &names) }
    case .checklist(let items):
      for item in items {
        collectNames(item.condition, into: &names)
        collectNames(item.points, into: &names)
      }
    }
  }
}
