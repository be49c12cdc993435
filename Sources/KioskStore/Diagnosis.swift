// Why the kiosk's SQLite file cannot be opened or written, in words a technician can act on: which of the
// database, its -wal and -shm files or the folder is wrong, or that the disk is full.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

enum StoreDiagnosis {
    /// Below this the next write of a page, a WAL frame or the shared-memory index cannot succeed.
    static let fullBelowBytes: UInt64 = 64 << 10

    /// The first thing found wrong around `path`, or nil when everything looks writable (then SQLite's
    /// own message is the best there is).
    static func findProblem(path: String) -> StoreError? {
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let user = userName(fileSystemUserID())
        var info = stat()
        guard stat(folder, &info) == 0 else {
            return StoreError(path: folder, problem: "the folder for the kiosk database does not exist (\(errnoText())); create it and give it to the kiosk's user (\(user))")
        }
        if let free = freeBytes(folder), free < fullBelowBytes {
            return StoreError(path: path, problem: "the disk holding \(folder) is full (\(free / 1024) KiB free); free space there (old logs, core dumps, stale copies of the database) and restart the kiosk")
        }
        for file in [path, path + "-wal", path + "-shm"] {
            var st = stat()
            guard lstat(file, &st) == 0 else { continue } // absent: SQLite creates it
            let kind = st.st_mode & S_IFMT
            guard kind == S_IFREG else {
                let what = kind == S_IFDIR ? "a folder" : kind == S_IFLNK ? "a symbolic link" : "not a regular file"
                return StoreError(path: file, problem: "is \(what), where SQLite keeps its own file; stop the kiosk, remove \(file) and start it again")
            }
            // Opening is what SQLite does, and it honours the same identity and capabilities as SQLite.
            let fd = open(file, O_RDWR | O_CLOEXEC)
            if fd >= 0 {
                close(fd)
                continue
            }
            let reason = errnoText()
            let owner = userName(st.st_uid)
            let mode = String(st.st_mode & 0o777, radix: 8)
            if file == path {
                return StoreError(path: file, problem: "cannot be written by the kiosk's user \(user) (\(reason); owner \(owner), mode \(mode)); give it back with `chown \(user) \(file)`")
            }
            return StoreError(path: file, problem: "cannot be written by the kiosk's user \(user) (\(reason); owner \(owner), mode \(mode)), probably left by a run as \(owner); stop every kiosk process, then remove \(file) (SQLite rebuilds it) or `chown \(user) \(file)`")
        }
        if faccessat(AT_FDCWD, folder, W_OK | X_OK, AT_EACCESS) != 0 {
            return StoreError(path: folder, problem: "the kiosk's user \(user) cannot create files in this folder (\(errnoText())), which SQLite needs for its -wal and -shm files; `chown \(user) \(folder)`")
        }
        return nil
    }

    static func freeBytes(_ folder: String) -> UInt64? {
        var fs = statvfs()
        guard statvfs(folder, &fs) == 0 else { return nil }
        return UInt64(fs.f_bavail) * UInt64(fs.f_frsize)
    }

    /// The user the kernel checks file access with: the effective user, unless this thread changed only its
    /// file-system identity (setfsuid, as the permission tests do). Linux reports it as the fourth "Uid:" field.
    static func fileSystemUserID() -> uid_t {
        if let status = try? String(contentsOfFile: "/proc/thread-self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }) {
            let ids = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst()
            if ids.count == 4, let fs = ids.last.flatMap({ uid_t($0) }) { return fs }
        }
        return geteuid()
    }

    static func userName(_ uid: uid_t) -> String {
        guard let pw = getpwuid(uid), let name = pw.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
