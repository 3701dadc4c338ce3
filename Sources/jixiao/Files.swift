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
      let result = Compiler.compile(source)
      results[path] = result
      return (result, true)
    }

    func remember(_ source: SourceFile) { files[source.path] = source }
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

  static func write(_ text: String, to path: String) throws(ReadError) {
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
      throw ReadError(path: path, message: "无法写入文件“\(path)”")
    }
  }

  /// Standard input read like a file: UTF-8 required, a byte-order mark dropped.
  static func readStandardInput() throws(ReadError) -> SourceFile {
    guard let text = String(data: FileHandle.standardInput.readDataToEndOfFile(), encoding: .utf8) else {
      throw ReadError(path: "<标准输入>", message: "标准输入不是 UTF-8 编码的文本")
    }
    return SourceFile(path: "<标准输入>", text: text)
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

  /// A path written inside a file, taken relative to that file's folder.
  static func resolve(_ reference: String, relativeTo file: String) -> String {
    guard !reference.hasPrefix("/") else { return reference }
    let folder = (file as NSString).deletingLastPathComponent
    return folder.isEmpty ? reference : (folder as NSString).appendingPathComponent(reference)
  }
}

/// Where a command's output goes: standard output for results, standard error for diagnostics.
/// Collected, so that tests run the real commands and read what a user would see.
final class Terminal {
  private(set) var standardOutput = ""
  private(set) var standardError = ""

  func out(_ text: String) { standardOutput += text + "\n" }
  func error(_ text: String) { standardError += text + "\n" }

  func flush() {
    FileHandle.standardOutput.write(Data(standardOutput.utf8))
    FileHandle.standardError.write(Data(standardError.utf8))
  }
}
