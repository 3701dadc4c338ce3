import Foundation
import JixiaoEngine

/// Reading files and folders: the only place the CLI touches the file system.
enum Files {
  struct ReadError: Error {
    var path: String
    var message: String

    /// The failure as a diagnostic of that file, so that one unreadable file in a batch is
    /// reported like any other problem and the others are still checked or scored.
    var diagnostic: Diagnostic { Diagnostic(.dataSyntax, at: .unknown(path), message) }
  }

  /// Rule files read and compiled once each, however many data or test files name them.
  final class Compiled {
    private(set) var files: [String: SourceFile] = [:]
    private(set) var results: [String: CompiledRules] = [:]

    /// The compiled file, and whether this call compiled it (so its diagnostics are new).
    func compile(_ path: String) throws(ReadError) -> (result: CompiledRules, isNew: Bool) {
      if let known = results[path] { return (known, false) }
      let source = try Files.read(path)
      files[path] = source
      let result = Files.compile(source)
      for base in result.source.bases { files[base.path] = base }
      results[path] = result
      return (result, true)
    }

    func remember(_ source: SourceFile) { files[source.path] = source }
  }

  /// Compiles a rules file, reading the files it is based on (基于) from disk.
  static func compile(_ source: SourceFile) -> CompiledRules {
    Compiler.compile(source, load: { path in try? Files.read(path) })
  }

  static func read(_ path: String) throws(ReadError) -> SourceFile {
    guard let data = FileManager.default.contents(atPath: path) else {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
        throw ReadError(
          path: path, message: isDirectory.boolValue ? "“\(path)”是文件夹，这里需要文件" : "无法读取文件“\(path)”")
      }
      throw ReadError(path: path, message: "找不到文件“\(path)”")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ReadError(path: path, message: "文件“\(path)”不是 UTF-8 编码的文本，请另存为 UTF-8")
    }
    return SourceFile(path: path, text: text)
  }

  /// Whether a file or folder is there at all.
  static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

  /// Written to a temporary file beside it and renamed, so a failure never leaves half a file.
  static func write(_ text: String, to path: String) throws(ReadError) {
    let temporary = path + ".jixiao-\(getpid())"
    guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)),
      rename(temporary, path) == 0
    else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw ReadError(path: path, message: "无法写入文件“\(path)”：\(reason)")
    }
  }

  /// The folder a file is to be written in, with any folders above it that are missing.
  static func makeFolder(for file: String) throws(ReadError) {
    let folder = (file as NSString).deletingLastPathComponent
    guard !folder.isEmpty else { return }
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw ReadError(path: folder, message: "无法创建文件夹“\(folder)”：\(error.localizedDescription)")
    }
  }

  /// Standard input read like a file: UTF-8 required, a byte-order mark dropped. A closed input
  /// or a folder given as input is an error, not a trap.
  static func readStandardInput() throws(ReadError) -> SourceFile {
    let name = "<标准输入>"
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = buffer.withUnsafeMutableBytes { Foundation.read(0, $0.baseAddress, $0.count) }
      if count == 0 { break }
      if count < 0 {
        if errno == EINTR { continue }
        throw ReadError(path: name, message: "无法读取标准输入：\(String(cString: strerror(errno)))")
      }
      bytes += buffer[..<count]
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw ReadError(path: name, message: "标准输入不是 UTF-8 编码的文本")
    }
    return SourceFile(path: name, text: text)
  }

  /// Files named on the command line; a folder stands for the files in it with the extensions.
  static func expand(_ paths: [String], extensions: [String]) -> [String] {
    paths.flatMap { path -> [String] in
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
        return [path]
      }
      let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
      let base = path.hasSuffix("/") ? path : path + "/"
      // Only files: a folder that happens to be named x.json is not data.
      return names.filter { name in extensions.contains { name.hasSuffix($0) } }.sorted().map { base + $0 }
        .filter { entry in
          var isFolder: ObjCBool = false
          return FileManager.default.fileExists(atPath: entry, isDirectory: &isFolder) && !isFolder.boolValue
        }
    }
  }

  /// The path of `target` as written in a file at `file`: relative to that file's folder.
  static func relativePath(to target: String, from file: String) -> String {
    func parts(_ path: String) -> [String] {
      let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
      return URL(fileURLWithPath: absolute).standardizedFileURL.pathComponents
    }
    let to = parts(target)
    let from = parts(file).dropLast()
    let common = zip(to, from).prefix { $0 == $1 }.count
    return (Array(repeating: "..", count: from.count - common) + to.dropFirst(common)).joined(separator: "/")
  }

  /// A path written inside a file, taken relative to that file's folder.
  static func resolve(_ reference: String, relativeTo file: String) -> String {
    guard !reference.hasPrefix("/") else { return reference }
    let folder = (file as NSString).deletingLastPathComponent
    return folder.isEmpty ? reference : (folder as NSString).appendingPathComponent(reference)
  }
}

/// Where a command's output goes: standard output for results, standard error for diagnostics.
/// The real CLI streams each line as it is made; tests collect it, to read what a user would see.
/// A write that fails (a full disk, a closed stream) is remembered and reported once, on whichever
/// stream still works, and the command then exits non-zero; nothing traps.
final class Terminal {
  private(set) var standardOutput = ""
  private(set) var standardError = ""
  private let streaming: Bool
  private var outputFailure: String?
  private var errorFailure: String?

  init(streaming: Bool = false) { self.streaming = streaming }

  func out(_ text: String) {
    guard streaming else { return standardOutput += text + "\n" }
    if outputFailure == nil { outputFailure = Terminal.write(text + "\n", to: 1, name: "标准输出") }
  }

  func error(_ text: String) {
    guard streaming else { return standardError += text + "\n" }
    if errorFailure == nil { errorFailure = Terminal.write(text + "\n", to: 2, name: "标准错误") }
  }

  /// The exit status, made non-zero when output was lost, with the reason said where it can be.
  func finish(_ status: Int32) -> Int32 {
    guard let failure = outputFailure ?? errorFailure else { return status }
    if errorFailure == nil {
      error(failure)
    } else if outputFailure == nil {
      out(failure)
    }
    return status == 0 ? 1 : status
  }

  /// Writes all of the text, or says why not.
  static func write(_ text: String, to descriptor: Int32, name: String) -> String? {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        return "无法写入\(name)：\(String(cString: strerror(errno)))"
      }
      bytes = bytes.dropFirst(written)
    }
    return nil
  }
}
