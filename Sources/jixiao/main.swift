import Foundation

// A closed pipe is a failed write to report, not a signal that ends the process unannounced.
signal(SIGPIPE, SIG_IGN)
let terminal = Terminal(streaming: true)
let status = Commands.run(Array(CommandLine.arguments.dropFirst()), terminal)
exit(terminal.finish(status))
