/// The base protocol of the Language Server Protocol: each message is a header block
/// (`Content-Length: N`, optional other fields, each line ending in CR LF, then an empty line)
/// followed by N bytes of UTF-8 JSON. Bytes arrive in any pieces; `next()` gives each whole
/// message once it is there. A header block that cannot be read is dropped and reported, so
/// that the stream goes on with the next message.
struct MessageFramer {
  enum Message: Equatable {
    case body([UInt8])
    case badHeader(String)
  }

  /// Larger bodies are refused rather than buffered: no rules file comes near it.
  static let largestBody = 64 << 20
  /// A header block longer than this has no end in sight.
  static let largestHeader = 8192
  private var buffer: [UInt8] = []

  mutating func append(_ bytes: some Sequence<UInt8>) { buffer.append(contentsOf: bytes) }

  mutating func next() -> Message? {
    guard let end = headerEnd() else {
      guard buffer.count > MessageFramer.largestHeader else { return nil }
      buffer.removeAll()
      return .badHeader("消息头过长，或缺少结束消息头的空行（\\r\\n\\r\\n）")
    }
    let header = String(decoding: buffer[..<end], as: UTF8.self)
    var length: Int?
    for line in header.split(separator: "\r\n") {
      let parts = line.split(separator: ":", maxSplits: 1)
      guard parts.count == 2 else {
        buffer.removeFirst(end + 4)
        return .badHeader("无法识别的消息头“\(line.prefix(80))”")
      }
      if parts[0].lowercased() == "content-length" {
        length = Int(parts[1].trimmingSpaces())
      }
    }
    guard let length, length >= 0, length <= MessageFramer.largestBody else {
      buffer.removeFirst(end + 4)
      return .badHeader("消息头缺少有效的 Content-Length")
    }
    guard buffer.count >= end + 4 + length else { return nil }
    let body = Array(buffer[(end + 4)..<(end + 4 + length)])
    buffer.removeFirst(end + 4 + length)
    return .body(body)
  }

  /// Where the header block's closing CR LF CR LF starts.
  private func headerEnd() -> Int? {
    guard buffer.count >= 4 else { return nil }
    for index in 0...min(buffer.count - 4, MessageFramer.largestHeader)
    where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
      return index
    }
    return nil
  }
}

extension Substring {
  fileprivate func trimmingSpaces() -> String {
    String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
  }
}
