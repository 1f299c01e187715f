import Foundation
import Registry
import Synchronization
import Testing

/// The repository's top-level folder (this file is Tests/TestSupport/TestSupport.swift).
public let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The IANA snapshots the tests read: the repository's own, and an older one beside it.
public enum Snapshot {
    /// The repository's snapshot (`iana/`, the one the binary carries), or the file named by
    /// `PORTINFO_IANA_CSV`: every full-registry test runs on a fresh clone.
    public static let current: String = {
        if let path = ProcessInfo.processInfo.environment["PORTINFO_IANA_CSV"], !path.isEmpty { return path }
        let folder = repositoryRoot.appendingPathComponent("iana")
        let name = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.first { $0.hasSuffix(".csv") } ?? "missing.csv"
        return folder.appendingPathComponent(name).path
    }()

    /// An older snapshot, for update and diff tests: the file `PORTINFO_TEST_PREVIOUS_CSV` names,
    /// else IANA's 2024-04 registry in `../shared/iana/` beside the repository, where this
    /// project's machines keep it (the tests that need it say so when they are skipped).
    public static let previous: String? = {
        if let path = ProcessInfo.processInfo.environment["PORTINFO_TEST_PREVIOUS_CSV"], !path.isEmpty { return path }
        return existing("service-names-port-numbers-2024-04.csv")
    }()

    public static let previousMissing: Comment = """
        needs an older IANA registry CSV than the repository's: set PORTINFO_TEST_PREVIOUS_CSV to one (such as IANA's \
        service-names-port-numbers.csv of 2024-04), or put it at ../shared/iana/service-names-port-numbers-2024-04.csv
        """

    private static func existing(_ name: String) -> String? {
        let path = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/iana/\(name)").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}

/// A fresh temporary folder, removed when the value is released.
public final class TemporaryDirectory: Sendable {
    public let url: URL

    public init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("portinfo-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    public func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// Writes `contents` to a file in this folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ contents: String) -> String {
        write(name, Data(contents.utf8))
    }

    @discardableResult
    public func write(_ name: String, _ contents: Data) -> String {
        let path = path(name)
        precondition(FileManager.default.createFile(atPath: path, contents: contents), "cannot write \(path)")
        return path
    }

    /// The names of the files in this folder, hidden ones included.
    public func fileNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
    }
}

/// IANA's CSV header line.
public let ianaHeader = IANARow.header.joined(separator: ",")

/// A small IANA CSV with the registry's traps: a multi-line quoted description with doubled
/// quotes, an alias row, a range and a single port row covering the same port, a name-only
/// row, an empty transport, both date forms, several references, markup-like text.
public let trapsCSV = """
\(ianaHeader)
,0,tcp,Reserved,,,,2024-12-20,[RFC6335],,,
ipcserver,600,tcp,Sun IPC server,[Bill_Schiefelbein],[Bill_Schiefelbein],,,,,,
ipcserver,600,udp,Sun IPC server,[Bill_Schiefelbein],[Bill_Schiefelbein],,,,,,
whoispp,63,tcp,"whois++
IANA assigned this well-formed service name as a replacement for ""whois++"".",[Rickard_Schoultz],[Rickard_Schoultz],,,,,,
whois++,63,tcp,whois++,[Rickard_Schoultz],[Rickard_Schoultz],,,,,,"This entry is an alias to ""whoispp"".
This entry is now historic, not usable for use with many
common service discovery mechanisms."
x11,6000-6063,tcp,X Window System,[Stephen_Gildea],[Stephen_Gildea],,,,,Known Unauthorized Use on port 6003,
,7748-7776,,Unassigned,,,,,,,,
,7776,,Unassigned,,,,,,,,
ftp,21,tcp,File Transfer Protocol [Control],[Jon_Postel],[Jon_Postel],2003-01,2024-07-22,[RFC959][RFC2228],,,Defined TXT keys: u=<username> p=<password> path=<path>
argus,,,ARGUS Protocol,[Robert_Hinden],[Robert_Hinden],,,,,,
cl/1,172,tcp,Network PostScript,[Eric_Wright],[Vera_Heinau][Heiko_Schlichting],,,,1145656131,,
sql*net,66,tcp,Oracle SQL*NET,[Jack_Haverty],[Jack_Haverty],,,,,,
,49151,tcp,Reserved,,,,,,,,

"""

/// The folder `swift build` put the products in (the test bundle runs from it).
public let productsDirectory: URL = {
    let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: executable).deletingLastPathComponent()
}()

/// What a finished process left: exit status, standard output and standard error.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let output: String
    public let error: String
}

/// Runs one of the package's executables (`portinfo` by default) to the end, or until `timeout`
/// seconds have passed: then it is killed (SIGKILL), and its status says so. No test waits for
/// ever on a command that hangs.
public func run(_ arguments: [String], product: String = "portinfo", environment: [String: String] = [:],
                input: Data? = nil, timeout: Double = 120) throws -> ProcessResult {
    let process = Process()
    process.executableURL = productsDirectory.appendingPathComponent(product)
    process.arguments = arguments
    let dataHome = TemporaryDirectory()
    defer { withExtendedLifetime(dataHome) {} }
    process.environment = isolatedEnvironment(dataHome: dataHome, environment)
    let output = Pipe(), error = Pipe(), stdin = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = stdin
    try process.run()
    let killer = DispatchWorkItem { [process] in if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
    defer { killer.cancel() }
    if let input { stdin.fileHandleForWriting.write(input) }
    try stdin.fileHandleForWriting.close()
    // Read both pipes to the end before waiting, so a full pipe cannot stall the child.
    let errorData = Mutex(Data())
    let errorRead = DispatchSemaphore(value: 0)
    Thread {
        let data = error.fileHandleForReading.readDataToEndOfFile()
        errorData.withLock { $0 = data }
        errorRead.signal()
    }.start()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    errorRead.wait()
    return ProcessResult(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                         error: String(decoding: errorData.withLock { $0 }, as: UTF8.self))
}

/// The test's environment for a portinfo process: this one's, without any PORTINFO_ setting the
/// person running the tests may have made, with XDG_DATA_HOME in `dataHome`, so that a default
/// database is the process's own (parallel tests never share one), and `extra` over it.
public func isolatedEnvironment(dataHome: TemporaryDirectory, _ extra: [String: String]) -> [String: String] {
    ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PORTINFO_") }
        .merging(["XDG_DATA_HOME": dataHome.url.path]) { $1 }
        .merging(extra) { $1 }
}

/// A valid IANA CSV of `count` generated records, for tests that need bulk.
public func generatedCSV(records count: Int) -> String {
    var csv = ianaHeader + "\n"
    for index in 0..<count {
        csv += "svc\(index),\(index % 65536),\(index % 2 == 0 ? "tcp" : "udp"),Generated service \(index),,,2025-01,,,,,\n"
    }
    return csv
}
