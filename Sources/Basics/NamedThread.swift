import Dispatch
import Glibc

/// Threads the server and the API start for themselves rather than borrow from Dispatch's pool:
/// their work blocks (epoll_wait, SQLite), and each is named so that `top -H` and `ps -L` tell
/// them apart.
public enum NamedThread {
    /// Starts a detached thread named `name` (at most 15 bytes, the kernel's limit) that runs
    /// `body`, and returns once it has its name (so that whoever looks at the process next, such
    /// as a test reading /proc after the startup line, sees it named); 0, or the error number
    /// when the system would not start it.
    public static func start(named name: String, _ body: @escaping @Sendable () -> Void) -> Int32 {
        let named = DispatchSemaphore(value: 0)
        let start = Unmanaged.passRetained(Start(name: name, named: named, body: body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, runThread, start)
        if result != 0 {
            Unmanaged<Start>.fromOpaque(start).release()
        } else {
            named.wait()
        }
        return result
    }

    fileprivate final class Start: Sendable {
        let name: String
        let named: DispatchSemaphore
        let body: @Sendable () -> Void
        init(name: String, named: DispatchSemaphore, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.named = named
            self.body = body
        }
    }

    /// Glibc's pthread_setname_np is not visible to Swift; the kernel takes the name from this file too.
    fileprivate static func nameThisThread(_ name: String) {
        let file = open("/proc/thread-self/comm", O_WRONLY)
        guard file >= 0 else { return }
        _ = name.utf8CString.withUnsafeBufferPointer { write(file, $0.baseAddress, $0.count - 1) }
        close(file)
    }
}

/// The new thread's entry point: `start` is a retained NamedThread.Start.
private func runThread(_ start: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let start = Unmanaged<NamedThread.Start>.fromOpaque(start!).takeRetainedValue()
    NamedThread.nameThisThread(start.name)
    start.named.signal()
    start.body()
    return nil
}
