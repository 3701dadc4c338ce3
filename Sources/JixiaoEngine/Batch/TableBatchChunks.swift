import Dispatch

extension TableBatch {
  /// Lines fed together, with the same items as `feed` gives taking them one by one, one chunk
  /// later: a line's short way depends on that line alone, so the short ways of this chunk are
  /// tried now, the larger part on the other core (which also writes each scored line's CSV row:
  /// the short way is taken only for CSV output), while this core takes the previous chunk in
  /// order, each line using its short way's result only where `feed` would have asked for it.
  /// `finish` takes the last chunk.
  public mutating func feed(_ lines: [(line: String?, number: Int)]) -> [BatchItem] {
    guard plain != nil, let helper, lines.count >= 64 else {
      return takePending() + lines.flatMap { feed($0.line, number: $0.number) }
    }
    let chunk = Chunk(lines)
    // This core also reads the lines, takes them in order and writes the rows, so the other core
    // takes the larger part of the scoring: how much larger, `takePending` learns as it goes.
    let split = lines.count * helper.share / 64
    let (path, plan) = (path, plan)
    helper.queue.async(group: chunk.done) {
      chunk.score(0..<split, with: &helper.rows, file: path, plan: plan)
    }
    if var rows = plain {
      plain = nil  // moved out while in use, so that its buffers are not copied
      chunk.score(split..<lines.count, with: &rows, file: path, plan: plan)
      plain = rows
    }
    let items = takePending()
    pending = chunk
    return items
  }

  /// The chunk fed last, taken in order once its short ways are all tried.
  mutating func takePending() -> [BatchItem] {
    guard let chunk = pending else { return [] }
    pending = nil
    // The other core done before this one asks: give it more of the next chunk; else less.
    let ready = chunk.done.wait(timeout: .now()) == .success
    if let helper { helper.share = ready ? min(helper.share + 1, 60) : max(helper.share - 1, 8) }
    chunk.done.wait()
    var items: [BatchItem] = []
    items.reserveCapacity(chunk.lines.count)
    for (index, (line, number)) in chunk.lines.enumerated() {
      if line != nil, isIdle, let item = chunk.take(index) {
        items.append(item)
      } else {
        items += feed(line, number: number, shortWay: false)
      }
    }
    return items
  }
}

/// Lines and the short way's result for each, filled by two cores, each its own part.
final class Chunk: @unchecked Sendable {
  let lines: [(line: String?, number: Int)]
  let results: UnsafeMutableBufferPointer<BatchItem?>
  let done = DispatchGroup()

  init(_ lines: [(line: String?, number: Int)]) {
    self.lines = lines
    results = .allocate(capacity: lines.count)
    _ = results.initialize(from: repeatElement(nil, count: lines.count))
  }

  deinit {
    results.deinitialize()
    results.deallocate()
  }

  /// The result at `index`, moved out rather than copied (a copy retains all it holds).
  func take(_ index: Int) -> BatchItem? {
    guard let slot = results.baseAddress?.advanced(by: index) else { return nil }
    let item = slot.move()
    slot.initialize(to: nil)
    return item
  }

  func score(_ range: Range<Int>, with rows: inout PlainRows, file: String, plan: EvaluationPlan) {
    for index in range {
      guard let line = lines[index].line, var item = rows.score(line, number: lines[index].number) else { continue }
      var bytes: [UInt8] = []
      BatchRenderer.appendCSVRow(item, file: file, plan: plan, to: &bytes)
      item.csvRow = (file, bytes)
      results[index] = item
    }
  }
}

/// The other core's short way, used only on its queue, one chunk after another.
final class ChunkHelper: @unchecked Sendable {
  let queue = DispatchQueue(label: "jixiao.table-rows")
  var rows: PlainRows
  /// Its part of a chunk's lines, in 64ths.
  var share = 40

  init(_ rows: PlainRows) { self.rows = rows }
}
