import Foundation
import JixiaoEngine

/// Where a batch's results go, line by line as they are scored: standard output, or a file
/// written under a temporary name beside it and renamed only when complete, so that a failure
/// never leaves half a file, and never one of the input files.
final class BatchOutput {
  private let terminal: Terminal
  private let path: String?
  private let temporary: String
  private var descriptor: Int32 = -1
  private var pending: [UInt8] = []
  private var failure: String?

  init(path: String?, inputs: [String], terminal: Terminal) throws(Files.ReadError) {
    self.terminal = terminal
    self.path = path
    temporary = (path ?? "") + ".jixiao-\(getpid())"
    guard let path else { return }
    let target = Self.canonical(path)
    if let input = inputs.first(where: { Self.canonical($0) == target }) {
      throw Files.ReadError(path: path, message: "输出文件“\(path)”就是输入文件“\(input)”，不能覆盖：请另选输出文件名")
    }
    descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else {
      throw Files.ReadError(path: path, message: "无法创建输出文件“\(path)”：\(String(cString: strerror(errno)))")
    }
  }

  private static func canonical(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
  }

  func line(_ text: String) {
    guard path != nil else { return terminal.out(text) }
    pending += text.utf8
    pending.append(0x0A)
    if pending.count >= 1 << 16 { flush() }
  }

  /// A line written as bytes by `write`, without a `String` in between (CSV rows of a batch).
  func line(writing write: (inout [UInt8]) -> Void) {
    guard path != nil else {
      var bytes: [UInt8] = []
      write(&bytes)
      return terminal.out(String(decoding: bytes, as: UTF8.self))
    }
    write(&pending)
    pending.append(0x0A)
    if pending.count >= 1 << 16 { flush() }
  }

  private func flush() {
    if failure == nil, !pending.isEmpty {
      failure = Terminal.write(pending, to: descriptor, name: "输出文件“\(path ?? "")”")
    }
    pending.removeAll(keepingCapacity: true)
  }

  /// Completes the file (renamed into place), or removes it when `keep` is false or writing failed.
  func finish(keep: Bool = true) throws(Files.ReadError) {
    guard let path else { return }
    flush()
    let closed = close(descriptor) == 0
    guard keep, failure == nil, closed, rename(temporary, path) == 0 else {
      let reason = failure ?? String(cString: strerror(errno))
      unlink(temporary)
      if keep { throw Files.ReadError(path: path, message: "无法写入输出文件“\(path)”：\(reason)") }
      return
    }
  }
}
