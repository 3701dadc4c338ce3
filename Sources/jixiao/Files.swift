import Foundation
import JixiaoEngine

/// Reading files and folders: the only place the CLI touches the file system.
enum Files {
  struct ReadError: Error {
    var path: String
    var message: String
    var code = DiagnosticCode.dataSyntax

    /// The failure as a diagnostic of that file, so that one unreadable file in a batch is
    /// reported like any other problem and the others are still checked or scored.
    var diagnostic: Diagnostic { Diagnostic(code, at: .unknown(path), message) }
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
    var info = stat()
    if stat(path, &info) == 0, Int(info.st_size) > Limits.fileBytes {
      throw ReadError(
        path: path,
        message: "文件“\(path)”有 \(Int(info.st_size) >> 20) MB，超过了 \(Limits.fileBytes >> 20) MB 的上限，没有读取",
        code: .limitExceeded)
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ReadError(path: path, message: unreadable(path))
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ReadError(path: path, message: "文件“\(path)”不是 UTF-8 编码的文本，请另存为 UTF-8")
    }
    return SourceFile(path: path, text: text)
  }

  /// Why a path cannot be read, in words: missing, a folder, a link to nothing, a link loop.
  static func unreadable(_ path: String) -> String {
    var info = stat()
    if stat(path, &info) == 0 {
      return (info.st_mode & S_IFMT) == S_IFDIR ? "“\(path)”是文件夹，这里需要文件" : "无法读取文件“\(path)”"
    }
    let reason = errno
    guard lstat(path, &info) == 0 else { return "找不到文件“\(path)”" }
    // The name is there but is a symbolic link that leads nowhere.
    if reason == ELOOP { return "无法读取“\(path)”：它是循环的符号链接（链接最终又指回自己）" }
    let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { "“\($0)”" } ?? "的文件"
    return "无法读取“\(path)”：它是符号链接，所指向\(target)不存在"
  }

  /// Whether a file or folder is there at all.
  static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

  /// Written to a temporary file beside it and renamed, so a failure never leaves half a file.
  static func write(_ text: String, to path: String) throws(ReadError) {
    let temporary = path + ".jixiao-\(getpid())"
    guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)),
      rename(temporary, path) == 0
    else {
      let reason = errno == ENOENT ? "所在的文件夹不存在" : String(cString: strerror(errno))
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
      // A folder that cannot be listed stays in the list, so that reading it says why.
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [path] }
      let base = path.hasSuffix("/") ? path : path + "/"
      // A folder that happens to be named x.json is not data; every other entry with the
      // extension is kept, so that a dangling link or a link loop is reported as unreadable.
      return names.filter { name in extensions.contains { name.hasSuffix($0) } }.sorted().map { base + $0 }
        .filter { entry in
          var info = stat()
          return stat(entry, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR
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
    write(Array(text.utf8), to: descriptor, name: name)
  }

  static func write(_ all: [UInt8], to descriptor: Int32, name: String) -> String? {
    var bytes = all[...]
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
