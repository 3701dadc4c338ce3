import Foundation
import JixiaoEngine

extension Commands {
  static let lspUsage = """
    用法：jixiao lsp
    作为语言服务器（Language Server Protocol）运行，经标准输入输出与编辑器通信：
    编辑规则文件时即时显示与 jixiao check 相同的诊断，并提供悬停说明、跳转到定义、查找引用、
    补全、大纲、格式化和快速修复。由编辑器启动，不必手动运行。
    """

  static func lsp(_ words: [String], _ terminal: Terminal) throws(Exit) -> Int32 {
    let arguments = try readArguments(words, values: [], flags: [], usage: lspUsage, terminal)
    guard arguments.positional.isEmpty else {
      terminal.error("jixiao lsp 不带文件参数：文件由编辑器经协议发送\n\n\(lspUsage)")
      return 2
    }
    return serve(input: 0, output: 1)
  }

  /// The server loop: bytes from `input` with read(2), each framed message answered on `output`,
  /// until `exit`, the end of the input, or an output that can no longer be written.
  static func serve(input: Int32, output: Int32) -> Int32 {
    let server = LanguageServer()
    var framer = MessageFramer()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = buffer.withUnsafeMutableBytes { Foundation.read(input, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { return 1 }  // the editor went away without exit
      framer.append(buffer[..<count])
      while let message = framer.next() {
        for reply in server.handle(message) {
          let body = reply.rendered()
          let text = "Content-Length: \(body.utf8.count)\r\n\r\n" + body
          if Terminal.write(text, to: output, name: "标准输出") != nil { return 1 }
        }
        if let code = server.exitCode { return code }
      }
    }
  }
}
