import Foundation
import Testing
import TestSupport

/// Raw-socket requests a hostile client may send to a real `portinfo serve`: each gets the
/// answer RFC 9110/9112 call for, leaves its connection kept alive or closed as they say, and
/// leaves the server answering the next normal request right, on the same connection when it
/// was kept alive, else on a new one. The cases are in `HostileCase.all`.
@Suite(.hostileServers) struct HostileClientTests {
    @Test(arguments: HostileCase.all)
    func hostileRequest(_ hostile: HostileCase) async throws {
        let port = try #require(HostileServers.current).port(of: hostile.server)
        let failure = await withCheckedContinuation { finished in
            Self.players.addOperation { finished.resume(returning: Self.failure(of: hostile, port: port)) }
        }
        if let failure { Issue.record(Comment(rawValue: failure)) }
    }

    /// Where the cases are played: off the test runner's few threads, since a case may block
    /// reading for seconds and the others should not queue behind it; a few at a time, well
    /// within what the servers let one client address hold open.
    private static let players = {
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 16
        return queue
    }()

    /// What went wrong first in playing `hostile` against the server on `port`; nil when nothing did.
    private static func failure(of hostile: HostileCase, port: Int) -> String? {
        do {
            try play(hostile, port: port)
            return nil
        } catch {
            return error.description
        }
    }

    private struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private static func play(_ hostile: HostileCase, port: Int) throws(Failure) {
        let client = try connect(port)
        var bodyStillToSend = send(hostile.sending, on: client)

        var last: ParsedResponse?
        for (index, answer) in hostile.expected.answers.enumerated() {
            let ordinal = "answer \(index + 1)"
            if answer.continueFirst {
                let interim = client.nextResponse()
                guard case let .response(response) = interim, response.status == 100 else {
                    throw Failure(description: "\(ordinal): expected an interim 100 Continue first, got \(describe(interim))")
                }
            }
            if let body = bodyStillToSend {
                client.send(body)
                bodyStillToSend = nil
            }
            let reading = client.nextResponse()
            guard case let .response(response) = reading else {
                throw Failure(description: "\(ordinal): expected \(answer.status), got \(describe(reading))")
            }
            try check(response, against: answer, ordinal)
            last = response
        }

        switch hostile.expected.afterwards {
        case .keptAlive:
            guard last?.header("Connection")?.lowercased() != "close" else {
                throw Failure(description: "to be kept alive, but the answer says Connection: close")
            }
            try followUp(on: client, "on the same connection")
        case .closed:
            // The server may read a client's FIN only after answering, too late to say it closes.
            let clientFinished = if case .thenFinish = hostile.sending { true } else { false }
            if let last, !clientFinished, last.header("Connection")?.lowercased() != "close" {
                throw Failure(description: "to be closed, but the answer does not say Connection: close")
            }
            let end = client.end()
            guard end == .closed else {
                throw Failure(description: (last == nil ? "no answer and" : "after the answer,") + " closed in order, got: \(end)")
            }
            try followUp(on: connect(port), "on a new connection")
        }
    }

    /// How long a read waits for the server: past the standard server's header timeout (10 s),
    /// so that a server waiting for more shows as its 408, and long enough for a busy machine.
    private static let readTimeout = 20.0

    private static func connect(_ port: Int) throws(Failure) -> RawClient {
        do {
            return try RawClient(port: port, timeout: readTimeout)
        } catch {
            throw Failure(description: "\(error)")
        }
    }

    /// Sends what the case sends; returns the body still to send once the first answer has come.
    private static func send(_ sending: Sending, on client: RawClient) -> [UInt8]? {
        switch sending {
        case let .whole(bytes):
            client.send(bytes)
        case let .pieces(pieces, pause):
            client.send(inPieces: pieces, pause: pause)
        case let .thenFinish(bytes):
            client.send(bytes)
            client.finishSending()
        case let .bodyAfterInterim(head, body):
            client.send(head)
            return body
        }
        return nil
    }

    private static func check(_ response: ParsedResponse, against answer: Answer, _ ordinal: String) throws(Failure) {
        guard response.status == answer.status else {
            throw Failure(description: "\(ordinal): expected \(answer.status), got \(summary(of: response))")
        }
        for (name, value) in answer.fields where response.header(name) != value {
            throw Failure(description: "\(ordinal): expected \(name): \(value), got \(response.header(name) ?? "none")")
        }
        // Whether the HTTP layer refused it or the API answered, no browser may take it for another type.
        guard response.header("X-Content-Type-Options") == "nosniff" else {
            throw Failure(description: "\(ordinal): expected X-Content-Type-Options: nosniff, got \(response.header("X-Content-Type-Options") ?? "none")")
        }
        switch answer.body {
        case .port600Records:
            try checkPort600(response, ordinal)
        case .problem:
            let problem = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
            // One of the API's problems, whether the HTTP layer refused the request or a route did.
            guard response.header("Content-Type") == "application/problem+json", problem?["status"] as? Int == answer.status,
                  (problem?["detail"] as? String)?.isEmpty == false,
                  (problem?["type"] as? String)?.hasPrefix("https://portinfo.invalid/problems/") == true,
                  response.header("Cache-Control") == "no-store"
            else {
                throw Failure(description: "\(ordinal): expected one of the API's problems (problem+json, no-store) with status "
                    + "\(answer.status) and a detail, got \(response.header("Content-Type") ?? "no Content-Type"): \(response.body.prefix(200))")
            }
        case .unchecked:
            break
        }
    }

    /// GET /ports/600 on `client`: it must be answered right, whatever came before.
    private static func followUp(on client: RawClient, _ connection: String) throws(Failure) {
        client.send("GET /ports/600 HTTP/1.1\r\nHost: t\r\n\r\n")
        let reading = client.nextResponse()
        guard case let .response(response) = reading, response.status == 200 else {
            throw Failure(description: "the next request, \(connection): expected 200, got \(describe(reading))")
        }
        try checkPort600(response, "the next request, \(connection)")
    }

    private static func checkPort600(_ response: ParsedResponse, _ ordinal: String) throws(Failure) {
        let json = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        let services = (json?["records"] as? [[String: Any]])?.map { $0["service"] as? String }
        guard json?["port"] as? Int == 600, services == ["ipcserver", "ipcserver"] else {
            throw Failure(description: "\(ordinal): expected port 600's two ipcserver records, got \(response.body.prefix(200))")
        }
    }

    private static func describe(_ reading: Reading) -> String {
        switch reading {
        case let .response(response): summary(of: response)
        case let .ended(end, partial): "no answer (\(end))" + (partial.isEmpty ? "" : ", part of one: \(partial.prefix(120).debugDescription)")
        }
    }

    /// The status and, for a problem, its detail.
    private static func summary(of response: ParsedResponse) -> String {
        let problem = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        return "\(response.status)" + ((problem?["detail"] as? String).map { " (\($0))" } ?? "")
    }
}
