import Dispatch

extension TableBatch {
  /// Lines fed together, as `feed` takes them one by one and with the same items: first the short
  /// way of every line is tried, half of them on each of two cores (a line's short way depends on
  /// that line alone), and each line it scores gets its CSV row written there too (the short way
  /// is taken only for CSV output); then the lines are taken in order, each using its short way's
  /// result only where `feed` would have asked for it.
  public mutating func feed(_ lines: [(line: String?, number: Int)]) -> [BatchItem] {
    guard let plain, let plainHelper, lines.count >= 64 else {
      return lines.flatMap { feed($0.line, number: $0.number) }
    }
    // Moved out while the workers use them, so that their buffers are not copied.
    let rows = UnsafeMutablePointer<PlainRows>.allocate(capacity: 2)
    rows.initialize(to: plain)
    (rows + 1).initialize(to: plainHelper)
    (self.plain, self.plainHelper) = (nil, nil)
    let results = UnsafeMutableBufferPointer<BatchItem?>.allocate(capacity: lines.count)
    _ = results.initialize(from: repeatElement(nil, count: lines.count))
    defer {
      rows.deinitialize(count: 2)
      rows.deallocate()
      results.deinitialize()
      results.deallocate()
    }
    let shared = Shared(results: results, rows: rows)
    let (path, plan) = (path, plan)
    let half = lines.count / 2
    DispatchQueue.concurrentPerform(iterations: 2) { worker in
      let range = worker == 0 ? 0..<half : half..<lines.count
      for index in range {
        guard let line = lines[index].line else { continue }
        guard var item = shared.rows[worker].score(line, number: lines[index].number) else { continue }
        var bytes: [UInt8] = []
        BatchRenderer.appendCSVRow(item, file: path, plan: plan, to: &bytes)
        item.csvRow = (path, bytes)
        shared.results[index] = item
      }
    }
    (self.plain, self.plainHelper) = (rows[0], rows[1])
    var items: [BatchItem] = []
    for (index, (line, number)) in lines.enumerated() {
      if line != nil, isIdle, let item = results[index] {
        items.append(item)
      } else {
        items += feed(line, number: number, shortWay: false)
      }
    }
    return items
  }
}

/// What the two workers of `feed` share: each writes only its own half of the results and uses
/// only its own short way.
private struct Shared: @unchecked Sendable {
  let results: UnsafeMutableBufferPointer<BatchItem?>
  let rows: UnsafeMutablePointer<PlainRows>
}
