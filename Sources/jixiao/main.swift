import Foundation

let terminal = Terminal()
let status = Commands.run(Array(CommandLine.arguments.dropFirst()), terminal)
terminal.flush()
exit(status)
