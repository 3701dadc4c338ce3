import Foundation
import JixiaoEngine

/// `jixiao bench RULES --synthetic N`: made-up departments within the inputs' declared ranges
/// (fixed seed), and in one run: compile time, records/s of the plan, of a hand-written exact and
/// Double scorer of shenzhen-department-2019, and of CSV read → score → CSV write end to end;
/// each as min/median/max over the runs, with the ratio plan ÷ hand-written and peak memory.
extension Commands {
  /// Distinct decoded departments the in-memory measurements cycle through.
  static let benchPool = 10_000

  static func benchSynthetic(rules: SourceFile, count: Int, runs: Int, _ terminal: Terminal) -> Int32 {
    let clock = ContinuousClock()
    var plan: EvaluationPlan?
    let compiling = (0..<runs).map { _ in clock.measure { plan = Files.compile(rules).plan } }
    guard let plan else {
      terminal.error("规则有错误，请先运行 jixiao check")
      return 1
    }
    if plan.rows.contains(where: { $0.indicator.fromRows }) {
      terminal.error("--synthetic 只生成部门整体评价的数据；项目支出绩效自评表（逐行）的规则请用 jixiao bench 规则 数据文件")
      return 2
    }
    var records = SyntheticRecords(plan: plan)
    var rows: [[String]] = []
    for number in 0..<count {
      rows.append(records.next(number + 1))
      if rows.count == 4096 || number == count - 1 {
        if !appendTable(rows, header: records.columns, count: count, terminal) { return 1 }
        rows = []
      }
    }
    // End to end first, in a process that holds nothing else yet, as `jixiao eval` runs.
    let output = benchFolder + "/结果.csv"
    let endToEnd = (0..<runs).map { _ in
      clock.measure {
        _ = evalBatch(plan, rules: rules, tables: [benchTable], format: "csv", output: output, Terminal())
      }
    }
    let streamed = peakMemory()
    // The same departments again from the same seed, decoded, for the in-memory measurements.
    records = SyntheticRecords(plan: plan)
    var pool: [DepartmentData] = []
    for number in 0..<min(count, benchPool) {
      let file = SourceFile(path: "合成\(number + 1).json", text: records.json(records.next(number + 1)))
      let (data, diagnostics) = DataDecoder.decode(file, for: plan)
      guard let data, !diagnostics.hasErrors else {
        terminal.error("合成数据未通过检查：\n" + DiagnosticRenderer.text(diagnostics, files: [file.path: file]))
        return 1
      }
      pool.append(data)
    }
    // The compiled plan, as a batch scores: records in slots, read once outside the timing, as
    // the hand-written scorers read theirs.
    guard let compiled = CompiledPlan(plan) else {
      terminal.error("这套规则用到编译计划不支持的写法（项目表、表定分值或文字输入），由逐条计分处理，这里不测")
      return 2
    }
    let slotted = pool.compactMap(compiled.record)
    var frame = compiled.frame()
    let (planned, totals) = timed(runs, count: count, pool: slotted.count) { index -> ExactDecimal? in
      compiled.score(slotted[index], in: &frame) ? frame.total : nil
    }
    terminal.out("规则 \(rules.path)：检查并生成计划 \(spread(compiling, unit: 1))（\(runs) 次）")
    terminal.out("合成数据：\(count) 个部门（种子 2019，每项输入在声明的范围内；计分在 \(pool.count) 个不同部门间循环）")
    terminal.out("计划计分（单核）：每秒 \(rates(planned, count))")
    // Both cores at once, as `eval` uses them: each its own frame, every other record.
    let bothCores = (0..<runs).map { _ in
      clock.measure {
        DispatchQueue.concurrentPerform(iterations: 2) { core in
          var frame = compiled.frame()
          for index in stride(from: core, to: count, by: 2) {
            _ = compiled.score(slotted[index % slotted.count], in: &frame)
          }
        }
      }
    }
    terminal.out("计划计分（两核同时）：每秒 \(rates(bothCores, count))")
    let handWritten = pool.compactMap { Shenzhen2019($0, plan: plan) }
    if plan.program.name == Shenzhen2019.rulesetName, handWritten.count == pool.count {
      let doubles = handWritten.map(Shenzhen2019.Doubles.init)
      let (exactRuns, exact) = timed(runs, count: count, pool: pool.count) { handWritten[$0].exactTotal() }
      let (doubleRuns, floating) = timed(runs, count: count, pool: pool.count) { doubles[$0].total() }
      terminal.out("手写计分（精确小数）：每秒 \(rates(exactRuns, count))")
      terminal.out("手写计分（Double）：每秒 \(rates(doubleRuns, count))")
      let ratio = Double(median(planned).nanoseconds) / Double(max(median(exactRuns).nanoseconds, 1))
      terminal.out("计划 ÷ 手写（精确小数）：耗时中位数之比 \(String(format: "%.1f", ratio)) 倍")
      let agree = zip(totals, exact).filter { $0 == $1 }.count
      let drift = zip(exact, floating).filter { String(format: "%.2f", $1) != $0.formatted(places: 2) }.count
      terminal.out("核对：\(pool.count) 个部门中计划与手写精确计分总分相同 \(agree) 个；Double 的总分与精确结果不同 \(drift) 个")
    } else {
      terminal.out("手写计分只对 \(Shenzhen2019.rulesetName) 可用，这里从略")
    }
    terminal.out("端到端（读 CSV → 计分 → 写 CSV，\(count) 行）：\(spread(endToEnd, unit: 1))，每秒 \(rates(endToEnd, count))")
    // The end-to-end run streams: its peak does not grow with the rows.
    terminal.out("峰值内存：端到端 \(streamed) MB；加上内存中计分的 \(pool.count) 个部门 \(peakMemory()) MB")
    try? FileManager.default.removeItem(atPath: benchFolder)
    return 0
  }

  /// `runs` timings of scoring `count` records by cycling through a pool of them (`score` is given
  /// the position in the pool), and the results for the pool's records, to check the scorers agree.
  private static func timed<Result>(
    _ runs: Int, count: Int, pool: Int, _ score: (Int) -> Result
  ) -> (durations: [Duration], results: [Result]) {
    var results: [Result] = []
    let durations = (0..<runs).map { _ in
      ContinuousClock().measure {
        results = []
        for index in 0..<count {
          let result = score(index % pool)
          if index < pool { results.append(result) }
        }
      }
    }
    return (durations, results)
  }

  private static let benchFolder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "jixiao-bench-\(getpid())"
  ).path
  private static var benchTable: String { benchFolder + "/合成.csv" }

  /// The synthetic table written in pieces, so that a million rows never sit in memory as text.
  private static func appendTable(_ rows: [[String]], header: [BatchColumn], count: Int, _ terminal: Terminal) -> Bool {
    try? FileManager.default.createDirectory(atPath: benchFolder, withIntermediateDirectories: true)
    var text =
      FileManager.default.fileExists(atPath: benchTable) ? "" : BatchRenderer.csvLine(header.map(\.header)) + "\n"
    for row in rows { text += BatchRenderer.csvLine(row) + "\n" }
    guard let handle = FileHandle(forWritingAtPath: benchTable) ?? create(benchTable) else {
      terminal.error("无法写入临时文件 \(benchTable)")
      return false
    }
    handle.seekToEndOfFile()
    handle.write(Data(text.utf8))
    handle.closeFile()
    return true
  }

  private static func create(_ path: String) -> FileHandle? {
    FileManager.default.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil
  }

  /// The most memory the process has held so far (getrusage), in MB.
  private static func peakMemory() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss / 1024
  }

  private static func median(_ durations: [Duration]) -> Duration { durations.sorted()[durations.count / 2] }

  /// 最少 1.2 毫秒，中位 1.3，最多 1.9.
  private static func spread(_ durations: [Duration], unit: Int) -> String {
    let sorted = durations.sorted()
    func ms(_ duration: Duration) -> String { String(format: "%.2f", Double(duration.nanoseconds) / 1e6) }
    return "最少 \(ms(sorted[0])) 毫秒，中位 \(ms(median(sorted)))，最多 \(ms(sorted[sorted.count - 1]))"
  }

  /// Records per second, the fastest run first: 最多 …，中位 …，最少 … 条.
  private static func rates(_ durations: [Duration], _ count: Int) -> String {
    let sorted = durations.sorted()
    func rate(_ duration: Duration) -> String {
      let perSecond = Double(count) / max(Double(duration.nanoseconds) / 1e9, 1e-9)
      return perSecond.formatted(.number.precision(.fractionLength(0)))
    }
    return "最多 \(rate(sorted[0]))，中位 \(rate(median(sorted)))，最少 \(rate(sorted[sorted.count - 1])) 条"
  }
}

extension Duration {
  var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
