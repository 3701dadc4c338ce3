import JixiaoEngine

extension Commands {
  static let testUsage = """
    用法：jixiao test 文件或文件夹... [--coverage]
    运行规则文件中的“测试”，以及 *.test.rules 测试文件（文件开头用 适用 "规则文件" 指明所测的规则）。
    每个失败的测试列出期望值、实际值和计算过程；最后一行为“N passed, N failed”。
    选项：
      --coverage   列出没有任何测试走到的分支、分档和清单项；有未覆盖的也算失败
    退出码：0 全部通过；1 有失败（或有未覆盖的规则）；2 用法错误
    """

  static func test(_ words: [String], _ terminal: Terminal) throws(Exit) -> Int32 {
    let arguments = try readArguments(words, values: [], flags: ["coverage"], usage: testUsage, terminal)
    guard !arguments.positional.isEmpty else {
      terminal.error(testUsage)
      return 2
    }
    let paths = Files.expand(arguments.positional, extensions: [".rules"])
    if paths.isEmpty {
      terminal.error("没有找到 .rules 文件")
      return 1
    }
    let compiled = Files.Compiled()
    var passed = 0
    var failed = 0
    var problems = false
    var covered: [(String, Coverage)] = []
    var reported = Set<String>()
    var blocked = 0  // tests of rules that do not compile
    var untestable = Set<String>()
    /// A file that does not compile may have lost tests: its errors fail the run, shown once.
    func reportErrors(of path: String, _ result: CompiledRules) {
      guard result.diagnostics.hasErrors, reported.insert(path).inserted else { return }
      terminal.error(DiagnosticRenderer.text(result.diagnostics, files: compiled.files))
      problems = true
    }
    do {
      for path in paths {
        let file = try compiled.compile(path).result
        reportErrors(of: path, file)
        guard !file.syntax.tests.isEmpty else { continue }
        let rulesPath = file.syntax.uses.map { Files.resolve($0.value, relativeTo: path) } ?? path
        let rules = try compiled.compile(rulesPath).result
        guard !rules.syntax.rulesets.isEmpty else {
          terminal.error("\(path)：“适用”所指的“\(rulesPath)”中没有规则集，测试无从运行")
          problems = true
          continue
        }
        guard let plan = rules.plan else {
          reportErrors(of: rulesPath, rules)
          blocked += file.syntax.tests.count
          untestable.insert(rulesPath)
          continue
        }
        let coverage = covered.first { $0.0 == rulesPath }?.1 ?? Coverage()
        if !covered.contains(where: { $0.0 == rulesPath }) { covered.append((rulesPath, coverage)) }
        for outcome in TestRunner.run(file.syntax.tests, with: plan, coverage: coverage) {
          if outcome.passed {
            passed += 1
          } else {
            failed += 1
            terminal.out("✗ \(outcome.span.file):\(outcome.span.start.line) \(outcome.name)")
            for line in outcome.failures { terminal.out("  " + line) }
          }
        }
      }
    } catch {
      terminal.error(error.message)
      return 1
    }
    var uncovered = false
    if arguments.flags.contains("coverage") {
      // A rule file that no test exercises is the least covered of all.
      for path in paths
      where compiled.results[path]?.syntax.rulesets.isEmpty == false && !covered.contains(where: { $0.0 == path })
        && !untestable.contains(path)
      {
        terminal.out("\(path)：没有任何测试；请在同一文件夹写 *.test.rules，开头用 适用 \"…\" 指明此文件")
        uncovered = true
      }
      for (path, coverage) in covered {
        guard let program = compiled.results[path]?.plan?.program else { continue }
        let lines = coverage.unreached(in: program)
        terminal.out(lines.isEmpty ? "\(path)：分支、分档和清单项全部被测试覆盖" : "\(path)：以下规则没有测试走到（\(lines.count) 处）")
        for line in lines { terminal.out("  " + line) }
        uncovered = uncovered || !lines.isEmpty
      }
    }
    if blocked > 0 { terminal.out("\(blocked) 个测试因规则有错误而未能运行") }
    if !reported.subtracting(untestable).isEmpty {
      terminal.out("\(reported.subtracting(untestable).count) 个文件有错误（见上），其中的测试可能没有全部读到")
    }
    terminal.out("\(passed) passed, \(failed) failed")
    return failed > 0 || problems || uncovered ? 1 : 0
  }
}
