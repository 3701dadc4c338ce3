import Foundation

/// Text kept on disk until it is wanted, so that memory does not grow with the rows: the sheets
/// of a batch HTML page, which the summary at the top of the page must precede.
final class Spool {
  private let path: String
  private var descriptor: Int32
  private var pending = ""
  private var failure: String?

  init() throws(Files.ReadError) {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent("jixiao-sheets-\(getpid())-\(UUID().uuidString)")
      .path
    descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard descriptor >= 0 else {
      throw Files.ReadError(path: path, message: "无法创建临时文件“\(path)”：\(String(cString: strerror(errno)))")
    }
  }

  deinit {
    if descriptor >= 0 { close(descriptor) }
    unlink(path)
  }

  func write(_ text: String) {
    pending += text
    if pending.utf8.count >= 1 << 16 { flush() }
  }

  private func flush() {
    if failure == nil, !pending.isEmpty { failure = Terminal.write(pending, to: descriptor, name: "临时文件“\(path)”") }
    pending = ""
  }

  /// Every line written, in order, then the file is gone.
  func replay(_ line: (String) -> Void) throws(Files.ReadError) {
    flush()
    close(descriptor)
    descriptor = -1
    if let failure { throw Files.ReadError(path: path, message: failure) }
    var lines = try TableLines(path: path, allowGB18030: false)
    while let next = try lines.next() { line(next ?? "") }
  }
}
