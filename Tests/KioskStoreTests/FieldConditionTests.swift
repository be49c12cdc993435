import Foundation
import KioskCore
import Testing
@testable import KioskStore
#if canImport(Glibc)
import Glibc
#endif

/// Conditions a kiosk meets in the field, made for real: a commit seen syncing under strace, a -shm file
/// the kiosk's user cannot write, a full disk on a small tmpfs mounted by the test.
@Suite(.serialized) struct FieldConditions {
    let today = day("2026-11-23")

    // MARK: durability

    @Test func theWriterKeepsSynchronousFull() throws {
        let path = tempPath()
        defer { removeDatabase(path) }
        do {
            let store = try KioskStore(path: path)
            #expect(try store.writerSynchronousMode() == 2) // GRDB's WAL set-up would leave 1 (NORMAL)
            try store.importKnowledgeBase(sample, source: "test")
            #expect(try store.writerSynchronousMode() == 2)
        }
        let reopened = try KioskStore(path: path) // an existing WAL file takes the same path through GRDB
        #expect(try reopened.writerSynchronousMode() == 2)
    }

    /// What `kiosk kb import` runs after parsing: the store's import, traced from outside by strace
    /// attached to this process. With synchronous = NORMAL the WAL is not synced at commit at all.
    @Test func anImportCommitIsSyncedToDisk() throws {
        guard let strace = executable("strace") else {
            try Test.cancel("strace is not installed (apt-get install strace): the commit's fdatasync cannot be seen")
        }
        let path = tempPath()
        defer { removeDatabase(path) }
        let store = try KioskStore(path: path)
        try store.importKnowledgeBase(sample, source: "first") // the WAL file exists before tracing starts
        let log = path + ".strace", said = path + ".strace-stderr"
        defer { try? FileManager.default.removeItem(atPath: log); try? FileManager.default.removeItem(atPath: said) }
        // Its messages go to a file, never a pipe: a pipe nobody drains would block strace, and with it
        // every thread of this process that strace holds.
        let tracer = try Tracer(strace, ["-f", "-y", "-e", "trace=fdatasync,fsync", "-o", log, "-p", "\(getpid())"], stderr: said)
        defer { tracer.stop() }
        // strace says "Process N attached" once every thread is traced.
        let deadline = Date().addingTimeInterval(20)
        func attached() -> Bool { ((try? String(contentsOfFile: said, encoding: .utf8)) ?? "").contains("attached") }
        while !attached(), tracer.isRunning, Date() < deadline { usleep(10_000) }
        guard attached() else {
            try Test.cancel("strace could not attach to the test process: \((try? String(contentsOfFile: said, encoding: .utf8)) ?? "")")
        }
        try store.importKnowledgeBase(sample, source: "second")
        tracer.stop() // strace detaches and writes out its log
        let trace = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let syncs = trace.split(separator: "\n").filter { $0.contains("sync(") && $0.contains(path + "-wal>") }
        #expect(!syncs.isEmpty, "no fdatasync/fsync of \(path)-wal during the import; strace saw:\n\(trace.prefix(2000))")
        #expect(try store.meta("source") == "second")
    }

    // MARK: files left by someone else

    @Test func aShmThatIsAFolderIsNamedWithWhatToDo() throws {
        let path = tempPath()
        defer { removeDatabase(path); rmdir(path + "-shm") }
        do { try KioskStore(path: path).importKnowledgeBase(sample, source: "test") }
        #expect(mkdir(path + "-shm", 0o755) == 0) // even root cannot open a folder as SQLite's shared memory
        let e = try #require(storeError { _ = try KioskStore(path: path).publicArticles(on: today) })
        #expect(e.path == path + "-shm", "\(e)")
        #expect(e.problem.contains("is a folder"), "\(e)")
        #expect(e.problem.contains("remove \(path)-shm"), "\(e)")
    }

    /// A run as root (a technician's `kiosk kb import` with sudo, then kill -9) leaves a root-owned -shm
    /// beside a database the kiosk's user owns. Tests run as root, which bypasses file permissions, so the
    /// open runs on this thread with the file-system identity of `nobody` (setfsuid is per thread on Linux).
    @Test func aShmTheKioskUserCannotWriteIsNamedWithWhatToDo() throws {
        guard let identity = ThreadFileIdentity() else {
            try Test.cancel("setfsuid is not available: the permission check needs Linux and root")
        }
        let dir = try tempFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/kiosk.sqlite"
        do { try KioskStore(path: path).importKnowledgeBase(sample, source: "as root") }
        let shm = path + "-shm"
        #expect(FileManager.default.createFile(atPath: shm, contents: Data(count: 32_768), attributes: [.posixPermissions: 0o644]))
        #expect(chown(dir, 65534, 65534) == 0 && chown(path, 65534, 65534) == 0) // the kiosk's user owns the rest

        let outcome: Result<StoreError?, Error> = identity.asNobody {
            // The condition is real only if this thread now may write the database and not the -shm.
            let dbFD = open(path, O_RDWR), shmFD = open(shm, O_RDWR), denied = errno
            defer { if dbFD >= 0 { close(dbFD) }; if shmFD >= 0 { close(shmFD) } }
            guard dbFD >= 0, shmFD < 0, denied == EACCES else {
                return .failure(ConditionNotMade(what: "as nobody: database fd \(dbFD), -shm fd \(shmFD), errno \(denied)"))
            }
            return .success(storeError {
                let store = try KioskStore(path: path)
                try store.importKnowledgeBase(sample, source: "as the kiosk user")
            })
        }
        let e = try #require(try outcome.get(), "opened and wrote through a -shm it cannot write")
        #expect(e.path == shm, "\(e)")
        #expect(e.problem.contains("cannot be written by the kiosk's user nobody"), "\(e)")
        #expect(e.problem.contains("owner root"), "\(e)")
        #expect(e.problem.contains("remove \(shm)"), "\(e)")

        // Control: with the -shm given back to the kiosk's user, the same open and import work.
        #expect(chown(shm, 65534, 65534) == 0)
        let control: Result<StoreError?, Error> = identity.asNobody {
            .success(storeError { try KioskStore(path: path).importKnowledgeBase(sample, source: "as the kiosk user") })
        }
        #expect(try control.get() == nil)
    }

    // MARK: a full disk

    @Test func aFullDiskIsNamedAndTheOldKnowledgeBaseStays() throws {
        let mount = try Tmpfs(bytes: 1 << 20)
        defer { mount.remove() }
        let path = mount.folder + "/kiosk.sqlite"
        do { try KioskStore(path: path).importKnowledgeBase(sample, source: "before the disk filled") }

        // A kiosk restarting on a full disk: SQLite cannot size its -shm file and says "disk I/O error".
        mount.fill()
        let restart = try #require(storeError { _ = try KioskStore(path: path).publicArticles(on: today) })
        #expect(restart.path == path, "\(restart)")
        #expect(restart.problem.contains("the disk holding \(mount.folder) is full"), "\(restart)")
        #expect(restart.problem.contains("free space"), "\(restart)")

        // A running kiosk whose disk fills during an import: refused whole, the old Knowledge Base stays.
        mount.empty()
        let store = try KioskStore(path: path)
        mount.fill()
        let big = KnowledgeBase(categories: categories, articles: (0..<400).map { i in
            var a = article("big-\(i)", "Artykuł \(i)")
            a.howTo = String(repeating: "Krok \(i). ", count: 400)
            return a
        })
        let e = try #require(storeError { try store.importKnowledgeBase(big, source: "after") })
        #expect(e.path == path, "\(e)")
        #expect(e.problem.contains("the disk holding \(mount.folder) is full"), "\(e)")
        #expect(try store.publicArticles(on: today).map(\.id) == ["a", "b"])
        #expect(try store.meta("source") == "before the disk filled")

        let fresh = try #require(storeError { _ = try KioskStore(path: mount.folder + "/new.sqlite") })
        #expect(fresh.problem.contains("is full"), "\(fresh)")
    }
}

// MARK: helpers that make the conditions

struct ConditionNotMade: Error, CustomStringConvertible { var what: String; var description: String { "condition not made: \(what)" } }

func storeError(_ body: () throws -> Void) -> StoreError? {
    do { try body(); return nil } catch let e as StoreError { return e } catch {
        return StoreError(path: "(not a StoreError)", problem: "\(error)")
    }
}

func removeDatabase(_ path: String) {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

func tempFolder() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-store-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// strace started with default signal handling and an empty signal mask. A child started through
/// Foundation's Process here inherits blocked signals, so strace never sees SIGTERM and keeps every
/// thread of the test process traced.
final class Tracer {
    let pid: pid_t
    private var exited = false

    init(_ path: String, _ arguments: [String], stderr: String) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var child = pid_t()
        let rc = posix_spawn(&child, path, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw ConditionNotMade(what: "posix_spawn \(path): \(String(cString: strerror(rc)))") }
        pid = child
    }

    var isRunning: Bool {
        if exited { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exited = true }
        return !exited
    }

    /// SIGTERM makes strace detach and write out its log; SIGKILL after ten seconds, which the kernel
    /// answers by detaching the traced threads.
    func stop() {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while isRunning, Date() < deadline { usleep(10_000) }
        if isRunning {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            exited = true
        }
    }
}

func executable(_ name: String) -> String? {
    for dir in ["/usr/bin", "/bin", "/usr/sbin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
        return dir + "/" + name
    }
    return nil
}

/// Runs a block on the current thread as user and group `nobody` for file access only. The kernel keeps
/// this identity per thread, so the rest of the test process stays root.
struct ThreadFileIdentity {
    typealias SetID = @convention(c) (UInt32) -> Int32
    let setfsuid: SetID
    let setfsgid: SetID

    init?() {
        guard getuid() == 0, let handle = dlopen(nil, RTLD_NOW),
              let u = dlsym(handle, "setfsuid"), let g = dlsym(handle, "setfsgid") else { return nil }
        setfsuid = unsafeBitCast(u, to: SetID.self)
        setfsgid = unsafeBitCast(g, to: SetID.self)
    }

    func asNobody<T>(_ body: () -> Result<T, Error>) -> Result<T, Error> {
        _ = setfsgid(65534)
        _ = setfsuid(65534)
        defer {
            _ = setfsuid(0)
            _ = setfsgid(0)
        }
        // setfsuid reports the previous id, never an error: ask again to know it took.
        guard setfsuid(65534) == 65534 else { return .failure(ConditionNotMade(what: "setfsuid(nobody) did not take")) }
        return body()
    }
}

/// A small tmpfs mounted by the test, so a full disk is a real ENOSPC and not a mock.
struct Tmpfs {
    let folder: String

    init(bytes: Int) throws {
        folder = try tempFolder()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/mount")
        p.arguments = ["-t", "tmpfs", "-o", "size=\(bytes)", "tmpfs", folder]
        p.standardError = Pipe()
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            try? FileManager.default.removeItem(atPath: folder)
            try Test.cancel("cannot mount a tmpfs here (needs root and mount permission): the full-disk test makes the condition for real")
        }
    }

    /// Writes until the file system refuses: ENOSPC, 0 bytes left.
    func fill() {
        let fd = open(folder + "/filler", O_WRONLY | O_CREAT, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let block = [UInt8](repeating: 0x5A, count: 4096)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
    }

    func empty() { unlink(folder + "/filler") }

    func remove() {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/umount")
        p.arguments = ["-l", folder]
        try? p.run()
        p.waitUntilExit()
        try? FileManager.default.removeItem(atPath: folder)
    }
}
