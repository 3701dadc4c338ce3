import JixiaoEngine

extension Commands {
  static let benchUsage = """
    用法：jixiao bench 规则文件 数据文件 [--runs N]
          jixiao bench 规则文件 --synthetic 条数 [--runs N]
    把规则检查、生成计划各做 N 次，再用同一个计划为数据计分 N 次，打印每次的平均耗时。
    --synthetic：按各输入声明的范围生成给定条数的部门数据（固定种子），一次测出：规则编译耗时、
    计划每秒计分条数、手写计分（精确小数与 Double，仅深圳 2019 部门整体规则）每秒条数及其比值、
    读 CSV → 计分 → 写 CSV 的端到端耗时，各取 N 次（默认 5）的最少、中位、最多，以及峰值内存。
    用于比较性能；单元测试中不计时。N 默认 1000。
    """

  static func bench(_ words: [String], _ terminal: Terminal) -> Int32 {
    guard let arguments = parse(words, values: ["runs", "synthetic"], flags: [], usage: benchUsage, terminal) else {
      return 2
    }
    if arguments.flags.contains("help") {
      terminal.out(benchUsage)
      return 0
    }
    if let synthetic = arguments.options["synthetic"] {
      guard arguments.positional.count == 1, let count = Int(synthetic), (1...10_000_000).contains(count),
        let runs = Int(arguments.options["runs"] ?? "5"), (1...1000).contains(runs)
      else {
        terminal.error("请给出一个规则文件，--synthetic 为 1 到 10000000 之间的整数，--runs 为 1 到 1000\n\n\(benchUsage)")
        return 2
      }
      do {
        return benchSynthetic(rules: try Files.read(arguments.positional[0]), count: count, runs: runs, terminal)
      } catch {
        terminal.error(error.message)
        return 1
      }
    }
    guard arguments.positional.count == 2 else {
      terminal.error("请给出一个规则文件和一个数据文件\n\n\(benchUsage)")
      return 2
    }
    guard let runs = Int(arguments.options["runs"] ?? "1000"), (1...1_000_000).contains(runs) else {
      terminal.error("--runs 应是 1 到 1000000 之间的整数\n\n\(benchUsage)")
      return 2
    }
    do {
      let rules = try Files.read(arguments.positional[0])
      let data = try Files.read(arguments.positional[1])
      let clock = ContinuousClock()
      var plan: EvaluationPlan?
      let compiling = clock.measure {
        for _ in 0..<runs { plan = Files.compile(rules).plan }
      }
      guard let plan else {
        terminal.error("规则有错误，请先运行 jixiao check")
        return 1
      }
      // Timing a run that stops at an error would measure the wrong thing.
      let trial = Compiler.score(data, with: plan)
      guard !trial.diagnostics.hasErrors else {
        terminal.error(DiagnosticRenderer.text(trial.diagnostics, files: [rules.path: rules, data.path: data]))
        return 1
      }
      var total: ExactDecimal?
      let scoring = clock.measure {
        for _ in 0..<runs { total = Compiler.score(data, with: plan).sheet?.total }
      }
      let explaining = clock.measure {
        for _ in 0..<runs { _ = Compiler.score(data, with: plan, explain: true) }
      }
      func each(_ duration: Duration) -> String {
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        return "\(nanoseconds / Int64(runs) / 1000) 微秒/次"
      }
      terminal.out("规则 \(rules.path)：检查并生成计划 \(each(compiling))")
      terminal.out(
        "数据 \(data.path)：读取并计分 \(each(scoring))，含计算过程 \(each(explaining))（\(runs) 次，总分 \(total?.description ?? "—")）")
      return 0
    } catch {
      terminal.error(error.message)
      return 1
    }
  }
}
