import CLinux
import Glibc
import Sockets

/// What one load thread does: its connections, the requests to send round-robin, the rate
/// (0: closed loop, each connection sending again as soon as it is answered) and the windows.
struct LoadSettings: Sendable {
    let host: String
    let port: Int
    let requests: [[UInt8]]
    let connections: Int
    /// Requests per second this thread starts, open loop; 0 for closed loop.
    let rate: Double
    let warmUpNanoseconds: UInt64
    let durationNanoseconds: UInt64
}

/// What one load thread measured (answers completed inside the measuring window only).
struct LoadResult: Sendable {
    var latenciesMicroseconds: [UInt32] = []
    /// Per connection slot: a slot whose connection the server ended goes on counting on its next.
    var answeredPerConnection: [Int] = []
    var statusClasses = [Int](repeating: 0, count: 6)
    var errors = 0
    /// Connections the server ended with `Connection: close` (its per-connection request limit), opened again.
    var reconnects = 0
}

/// Nanoseconds on the monotonic clock.
func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// Runs connections on one thread, watching them in an epoll set (edge-triggered: a connection is
/// read until it would block, the timer until it is cleared); in open loop a timerfd wakes
/// it when the next request is due. A request's latency runs from when it was due (open loop)
/// or sent (closed loop) to its response read whole, so a slow server cannot hide its delay by
/// slowing the client down (no coordinated omission).
func runLoad(_ settings: LoadSettings) throws(LoadError) -> LoadResult {
    var result = LoadResult()
    var connections: [LoadConnection] = []
    for _ in 0..<settings.connections { connections.append(try LoadConnection(host: settings.host, port: settings.port)) }
    let epoll: EpollSet
    do { epoll = try EpollSet() } catch { throw LoadError("\(error)") }
    defer { epoll.close() }
    func watch(_ index: Int) {
        epoll.add(connections[index].socket.descriptor, token: UInt64(index), read: true, write: false)
    }
    connections.indices.forEach(watch)
    /// A new connection in slot `index`, keeping the requests that wait for the slot (open loop).
    func reconnect(_ index: Int) throws(LoadError) {
        let waiting = connections[index].waiting
        epoll.remove(connections[index].socket.descriptor)
        connections[index] = try LoadConnection(host: settings.host, port: settings.port)
        connections[index].waiting = waiting
        watch(index)
    }
    var answered = [Int](repeating: 0, count: connections.count)
    let timerToken = UInt64.max
    let timer = timerfd_create(CLOCK_MONOTONIC, Int32(TFD_NONBLOCK | TFD_CLOEXEC))
    defer { close(timer) }
    epoll.add(timer, token: timerToken, read: true, write: false)

    let start = monotonicNanoseconds()
    let measureFrom = start + settings.warmUpNanoseconds
    let end = measureFrom + settings.durationNanoseconds
    var nextRequest = 0
    func request() -> [UInt8] {
        defer { nextRequest = (nextRequest + 1) % settings.requests.count }
        return settings.requests[nextRequest]
    }
    func send(on index: Int, since: UInt64) {
        if !connections[index].send(request(), since: since) { result.errors += 1 }
    }

    let openLoop = settings.rate > 0
    let interval = openLoop ? UInt64(1e9 / settings.rate) : 0
    var nextDue = start, scheduled = 0
    if !openLoop { connections.indices.forEach { send(on: $0, since: start) } }
    func armTimer() {
        var when = itimerspec()
        when.it_value = timespec(tv_sec: Int(nextDue / 1_000_000_000), tv_nsec: Int(nextDue % 1_000_000_000))
        timerfd_settime(timer, Int32(TFD_TIMER_ABSTIME), &when, nil)
    }
    if openLoop { armTimer() }

    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    defer { buffer.deallocate() }
    let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: 256)
    defer { events.deallocate() }
    while true {
        var now = monotonicNanoseconds()
        if now >= end { break }
        let count = epoll.wait(into: events, upTo: .milliseconds(Int(min(100, (end - now) / 1_000_000 + 1))))
        now = monotonicNanoseconds()
        for event in events[..<count] {
            if event.data.u64 == timerToken {
                var expirations: UInt64 = 0
                _ = read(timer, &expirations, 8)
                continue
            }
            let index = Int(event.data.u64)
            let connection = connections[index]
            let since = connection.inFlightSince ?? now
            let response: LoadResponse?
            do {
                response = try connection.readResponse(into: buffer)
            } catch {
                result.errors += 1
                try reconnect(index)
                if !openLoop { send(on: index, since: now) }
                continue
            }
            guard let response else { continue }
            if since >= measureFrom && now < end {
                result.latenciesMicroseconds.append(UInt32(min(UInt64(UInt32.max), (now - since) / 1000)))
                result.statusClasses[min(5, response.status / 100)] += 1
                answered[index] += 1
            }
            if response.closes {
                result.reconnects += 1
                try reconnect(index)
            }
            if openLoop {
                if !connections[index].waiting.isEmpty { send(on: index, since: connections[index].waiting.removeFirst()) }
            } else {
                send(on: index, since: now)
            }
        }
        if openLoop {
            while nextDue <= now {
                let connection = connections[scheduled % connections.count]
                if connection.inFlightSince == nil {
                    send(on: scheduled % connections.count, since: nextDue)
                } else {
                    connection.waiting.append(nextDue)
                }
                scheduled += 1
                nextDue += interval
            }
            armTimer()
        }
    }
    result.answeredPerConnection = answered
    return result
}
