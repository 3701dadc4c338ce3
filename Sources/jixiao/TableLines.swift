import CoreFoundation
import Foundation

/// A table file (CSV, TSV, JSON Lines) read line by line in chunks, so that memory does not grow
/// with the number of rows. The encoding is the header's: UTF-8 (with or without a byte-order
/// mark) or else GB18030, what Chinese Excel saves; a line whose bytes are not text in it is given
/// as nil, to be refused with its line number rather than shown as mojibake. A line feed byte
/// never occurs inside a character in either encoding, so lines can be cut before decoding.
struct TableLines {
  enum Encoding { case utf8, gb18030 }

  static let gb18030 = String.Encoding(
    rawValue: CFStringConvertEncodingToNSStringEncoding(CFStringEncoding(CFStringEncodings.GB_18030_2000.rawValue)))

  private let path: String
  private let handle: FileHandle
  private var buffer: [UInt8] = []
  private var position = 0
  private var atEnd = false
  private(set) var number = 0
  private(set) var encoding: Encoding?
  let allowGB18030: Bool

  init(path: String, allowGB18030: Bool = true) throws(Files.ReadError) {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      _ = try Files.read(path)  // says why: missing, a folder, unreadable
      throw Files.ReadError(path: path, message: "无法读取文件“\(path)”")
    }
    self.path = path
    self.handle = handle
    self.allowGB18030 = allowGB18030
  }

  /// The next line without its line feed: `.some(nil)` for bytes that are not text; nil at the end.
  mutating func next() throws(Files.ReadError) -> String?? {
    guard var bytes = try nextBytes() else { return nil }
    number += 1
    if number == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      bytes.removeFirst(3)
      encoding = .utf8
    }
    if encoding == nil {
      if String(validating: bytes, as: UTF8.self) != nil || !allowGB18030 {
        encoding = .utf8
      } else if String(data: Data(bytes), encoding: Self.gb18030) != nil {
        encoding = .gb18030
      } else {
        return .some(nil)
      }
    }
    switch encoding {
    case .gb18030: return .some(String(data: Data(bytes), encoding: Self.gb18030))
    default: return .some(String(validating: bytes, as: UTF8.self))
    }
  }

  /// The next line's bytes, as a slice of the buffer (not copied).
  private mutating func nextBytes() throws(Files.ReadError) -> ArraySlice<UInt8>? {
    while true {
      let found = buffer.withUnsafeBufferPointer { all in
        all.baseAddress.flatMap { base in
          memchr(base + position, 0x0A, all.count - position).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) }
        }
      }
      if let end = found {
        defer { position = end + 1 }
        return buffer[position..<end]
      }
      if atEnd {
        guard position < buffer.count else { return nil }
        defer { position = buffer.count }
        return buffer[position...]
      }
      let chunk: Data?
      do {
        chunk = try handle.read(upToCount: 1 << 20)
      } catch {
        throw Files.ReadError(path: path, message: "读取表格文件“\(path)”时出错：\(error.localizedDescription)")
      }
      buffer.removeFirst(position)
      position = 0
      if let chunk, !chunk.isEmpty { buffer += chunk } else { atEnd = true }
    }
  }
}
