import Registry

/// How to see what listens on a port on one's own machine: the commands, ready to copy, for the
/// transports the port is registered for.
enum HostCheckCommands {
    static func write(port: Int, transports: [Record.Transport], into html: inout HTMLWriter) {
        html.element("h2", text: "How to check this host")
        html.element("p", ["class": "muted"], text: "What listens on port \(port) on your machine (the registry says what "
            + "the port is registered for, not what runs on it):")
        block("Linux (ss)", transports.map { "ss -l\($0 == .tcp ? "t" : "u")np 'sport = :\(port)'" }, into: &html)
        block("Linux, macOS, BSD (lsof)", transports.map {
            $0 == .tcp ? "sudo lsof -nP -iTCP:\(port) -sTCP:LISTEN" : "sudo lsof -nP -iUDP:\(port)"
        }, into: &html)
        block("netstat (Linux)", ["netstat -ln\(transports.map { $0 == .tcp ? "t" : "u" }.joined())p | grep ':\(port) '"], into: &html)
        block("Windows (Command Prompt)", ["netstat -ano | findstr :\(port)"], into: &html)
        block("Windows (PowerShell)", transports.map {
            $0 == .tcp ? "Get-NetTCPConnection -LocalPort \(port) -State Listen" : "Get-NetUDPEndpoint -LocalPort \(port)"
        }, into: &html)
    }

    private static func block(_ title: String, _ commands: [String], into html: inout HTMLWriter) {
        html.element("h3", text: title)
        html.element("pre") { html in
            html.element("code", text: commands.joined(separator: "\n"))
        }
    }
}
