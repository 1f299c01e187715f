/// Where an application delivers an answer it could not give at once (it went to do slow work
/// elsewhere): `respond` may be called from any thread, exactly once per request.
public struct HTTPResponder: Sendable {
    private let sink: any HTTPResponseSink
    private let request: UInt64

    /// `request` tells the sink which of its requests the answer is for.
    public init(sink: any HTTPResponseSink, request: UInt64) {
        self.sink = sink
        self.request = request
    }

    public func respond(_ response: HTTPResponse) {
        sink.deliver(response, forRequest: request)
    }
}

/// What takes delayed answers: a server connection, which writes each in its turn.
public protocol HTTPResponseSink: AnyObject, Sendable {
    func deliver(_ response: HTTPResponse, forRequest request: UInt64)
}
