import Foundation
import JixiaoEngine

/// `jixiao eval RULES FILE.csv|.tsv|.jsonl`: every department (or project table) of a table
/// file scored in one run, streamed: each result is written as soon as it is scored and nothing
/// but counts is kept, so memory stays flat however many rows the file has.
extension Commands {
  static let batchFormats = ["csv", "jsonl", "json", "html", "text", "markdown"]

  static func isTable(_ path: String) -> Bool {
    [".csv", ".tsv", ".jsonl"].contains { path.lowercased().hasSuffix($0) }
  }

  /// Rows read, scored and refused; rows in = scored + refused.
  /// Notes printed in full before the rest are only counted.
  static let notesShown = 20

  struct BatchCounts {
    var scored = 0
    var refused = 0
    var notes = 0
    var total: Int { scored + refused }
  }

  static func evalBatch(
    _ plan: EvaluationPlan, rules: SourceFile, tables: [String], format: String, output: String?, _ terminal: Terminal
  ) -> Int32 {
    let sink: BatchOutput
    do {
      sink = try BatchOutput(path: output, inputs: [rules.path] + tables, terminal: terminal)
    } catch {
      terminal.error(error.message)
      return 2
    }
    var writer: BatchWriter
    do {
      writer = try BatchWriter(format: format, plan: plan, sink: sink)
    } catch {
      terminal.error(error.message)
      try? sink.finish(keep: false)
      return 1
    }
    // Compiled once for every file: CSV output needs only scores, which plain records get from it.
    let compiled = format == "csv" ? CompiledPlan(plan) : nil
    var counts = BatchCounts()
    var failed = false
    var progress = Progress(terminal: terminal)
    for path in tables {
      let before = counts
      do {
        failed =
          try read(path, plan: plan, compiled: compiled, terminal: terminal) { item in
            if item.isScored { counts.scored += 1 } else { counts.refused += 1 }
            // Errors and warnings are shown for every record; notes (说明) only for the first
            // ones, which would otherwise repeat for each of thousands of alike tables.
            let shown = item.diagnostics.filter { diagnostic in
              guard diagnostic.severity == .note else { return true }
              counts.notes += 1
              return counts.notes <= Self.notesShown
            }
            if !shown.isEmpty {
              progress.clear()
              terminal.error(DiagnosticRenderer.text(shown, files: [:]))
            }
            writer.write(item, file: path)
            progress.update(counts)
          } || failed
      } catch {
        terminal.error(error.message)
        failed = true
      }
      progress.clear()
      terminal.error(
        "\(path)：读入 \(counts.total - before.total) 条，计分 \(counts.scored - before.scored) 条，未计分 \(counts.refused - before.refused) 条"
      )
    }
    do {
      try writer.finish()
    } catch {
      terminal.error(error.message)
      try? sink.finish(keep: false)
      return 1
    }
    if tables.count > 1 { terminal.error("合计：读入 \(counts.total) 条，计分 \(counts.scored) 条，未计分 \(counts.refused) 条") }
    if counts.notes > Self.notesShown {
      terminal.error("另有 \(counts.notes - Self.notesShown) 条说明（不影响计分）未逐条列出；--format json 的输出中每份评分表都有它的全部诊断")
    }
    do {
      try sink.finish()
    } catch {
      terminal.error(error.message)
      return 1
    }
    return failed || counts.refused > 0 ? 1 : 0
  }

  /// Reads one table file, handing each item over as it is complete; true when the file itself
  /// (its header, its encoding) has an error.
  private static func read(
    _ path: String, plan: EvaluationPlan, compiled: CompiledPlan?, terminal: Terminal, _ handle: (BatchItem) -> Void
  ) throws(Files.ReadError) -> Bool {
    let isJSONLines = path.lowercased().hasSuffix(".jsonl")
    var lines = try TableLines(path: path, allowGB18030: !isJSONLines)
    if isJSONLines {
      var batch = JSONLinesBatch(path: path, plan: plan, compiled: compiled)
      while let line = try lines.next() { batch.feed(line, number: lines.number).forEach(handle) }
      return false
    }
    var table = TableBatch(
      path: path, separator: path.lowercased().hasSuffix(".tsv") ? "\t" : ",", plan: plan, compiled: compiled)
    var said = 0
    func sayHeaderProblems() {
      guard table.headerDiagnostics.count > said else { return }
      let fresh = Array(table.headerDiagnostics[said...])
      said = table.headerDiagnostics.count
      terminal.error(DiagnosticRenderer.text(fresh, files: table.headerFile.map { [path: $0] } ?? [:]))
      if fresh.hasErrors { terminal.error("表头有错误，\(path) 中的行都不计分") }
    }
    // In chunks, whose plain lines are scored on two cores at once (`TableBatch.feed(_ lines:)`).
    var chunk: [(line: String?, number: Int)] = []
    func feedChunk() {
      let items = table.feed(chunk)
      chunk.removeAll(keepingCapacity: true)
      sayHeaderProblems()
      items.forEach(handle)
    }
    while let line = try lines.next() {
      chunk.append((line, lines.number))
      if chunk.count == 512 { feedChunk() }
    }
    feedChunk()
    let items = table.finish()
    sayHeaderProblems()
    items.forEach(handle)
    return table.headerDiagnostics.hasErrors
  }
}

/// A batch's results in the format asked for, one record at a time.
struct BatchWriter {
  let format: String
  let plan: EvaluationPlan
  let sink: BatchOutput
  private var count = 0
  private var page: BatchPage
  /// The HTML page's sheets, until the summary above them is written.
  private let sheets: Spool?

  init(format: String, plan: EvaluationPlan, sink: BatchOutput) throws(Files.ReadError) {
    self.format = format
    self.plan = plan
    self.sink = sink
    page = BatchPage(plan: plan)
    sheets = format == "html" ? try Spool() : nil
    switch format {
    case "csv": sink.line(BatchRenderer.csvLine(BatchRenderer.csvHeader(for: plan)))
    case "json": sink.line("[")
    default: break
    }
  }

  mutating func write(_ item: BatchItem, file: String) {
    defer { count += 1 }
    switch format {
    case "csv": sink.line { BatchRenderer.appendCSVRow(item, file: file, plan: plan, to: &$0) }
    case "jsonl": sink.line(BatchRenderer.json(item, file: file).compact())
    case "json": sink.line((count == 0 ? "  " : ", ") + BatchRenderer.json(item, file: file).rendered(indent: "  "))
    case "html": if let sheet = page.add(item, file: file) { sheets?.write(sheet) }
    default:
      guard let sheet = item.sheet, let format = SheetRenderer.Format(rawValue: format) else { return }
      if count > 0 { sink.line("") }
      sink.line(SheetRenderer.render(sheet, format: format, explain: false))
    }
  }

  func finish() throws(Files.ReadError) {
    switch format {
    case "json": sink.line("]")
    case "html":
      sink.line(page.head())
      try sheets?.replay { sink.line($0) }
      sink.line(BatchPage.tail)
    default: break
    }
  }
}

/// “已处理 12,000 条，每秒 48,000 条，未计分 3 条” on standard error, rewritten in place, only when
/// standard error is a terminal and the run has taken more than a second.
struct Progress {
  let terminal: Terminal
  private let start = ContinuousClock.now
  private var last = ContinuousClock.now
  private var shown = false
  private let enabled = isatty(2) == 1

  init(terminal: Terminal) { self.terminal = terminal }

  mutating func update(_ counts: Commands.BatchCounts) {
    guard enabled, counts.total % 256 == 0 else { return }
    let now = ContinuousClock.now
    guard now - start > .seconds(1), now - last > .milliseconds(250) else { return }
    last = now
    let elapsed = Double((now - start).components.seconds) + Double((now - start).components.attoseconds) / 1e18
    let rate = Int(Double(counts.total) / max(elapsed, 0.001))
    _ = Terminal.write("\r已处理 \(counts.total) 条，每秒 \(rate) 条，未计分 \(counts.refused) 条\u{1B}[K", to: 2, name: "标准错误")
    shown = true
  }

  /// Erases the line, before anything else is written to standard error.
  mutating func clear() {
    if shown { _ = Terminal.write("\r\u{1B}[K", to: 2, name: "标准错误") }
    shown = false
  }
}
