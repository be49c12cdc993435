// Sleeping until input or a deadline with no CPU use. SDL 2.26 blocks properly only where the video
// driver can (X11, Wayland); on KMSDRM and dummy, SDL_WaitEventTimeout polls every millisecond
// (measured: about 1,000 wake-ups and 1.5 % of a core a second). There we poll() the input devices and
// a wake-up pipe ourselves.
import CSDL2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

final class EventWaiter {
    let sdlCanBlock: Bool
    private var pipeFDs: [Int32] = [-1, -1]
    private var inputFDs: [String: Int32] = [:]

    init() {
        let driver = SDL_GetCurrentVideoDriver().map { String(cString: $0) } ?? ""
        sdlCanBlock = ["x11", "wayland", "windows", "cocoa"].contains(driver)
        guard !sdlCanBlock else { return }
        if pipe(&pipeFDs) == 0 {
            for fd in pipeFDs {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        } else {
            pipeFDs = [-1, -1]
        }
        rescanInputDevices()
    }

    deinit {
        for fd in pipeFDs where fd >= 0 { close(fd) }
        for fd in inputFDs.values { close(fd) }
    }

    /// A thread-safe nudge for services: an SDL event, and a byte on the pipe where SDL cannot block.
    func makeWaker(eventType: UInt32) -> @Sendable () -> Void {
        let fd = pipeFDs[1]
        return {
            var e = SDL_Event()
            e.type = eventType
            SDL_PushEvent(&e)
            if fd >= 0 {
                var b: UInt8 = 1
                _ = write(fd, &b, 1)
            }
        }
    }

    /// Waits up to `timeoutMs` for an event; true when `e` holds one.
    func wait(_ e: inout SDL_Event, timeoutMs: Int32) -> Bool {
        if sdlCanBlock { return SDL_WaitEventTimeout(&e, timeoutMs) != 0 }
        if SDL_PollEvent(&e) != 0 { return true }
        var fds = ([pipeFDs[0]] + Array(inputFDs.values)).filter { $0 >= 0 }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let ready = poll(&fds, nfds_t(fds.count), timeoutMs)
        if ready > 0 {
            // Our descriptors only say "something arrived"; SDL reads the events through its own.
            var buf = [UInt8](repeating: 0, count: 4096)
            for p in fds where p.revents != 0 {
                if p.revents & Int16(POLLIN) != 0 {
                    while read(p.fd, &buf, buf.count) > 0 {}
                } else {
                    rescanInputDevices() // unplugged
                }
            }
        } else if ready == 0 {
            rescanInputDevices() // a touch screen plugged in while idle
        }
        return SDL_PollEvent(&e) != 0
    }

    private func rescanInputDevices() {
        let dir = "/dev/input"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix("event") }
        for (name, fd) in inputFDs where !names.contains(name) {
            close(fd)
            inputFDs[name] = nil
        }
        for name in names where inputFDs[name] == nil {
            let fd = open("\(dir)/\(name)", O_RDONLY | O_NONBLOCK | O_CLOEXEC)
            if fd >= 0 { inputFDs[name] = fd }
        }
    }
}
