// `kiosk config check` and `kiosk maintenance set-pin`: what a technician runs while installing a kiosk.
import ArgumentParser
import Foundation
import KioskCore

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check a config file before the kiosk starts on it.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check FILE and the files it names; exit status 1 with the file, the key and what to do on the first error.")

        @Argument(help: ArgumentHelp("The config file, e.g. /etc/kiosk/kiosk.json.", valueName: "FILE"))
        var file: String

        func run() throws {
            let config: KioskConfig
            do { config = try KioskConfig.checked(path: file) } catch { throw OneLineFailure("\(error)") }
            var warnings = StartChecks.problems(config).map(\.description)
            if (try? config.loadPinHash()) == nil {
                warnings.append("maintenance: no PIN is set (\(config.pinFilePath ?? "no file")): maintenance cannot be opened on screen; run `kiosk --config \(file) maintenance set-pin`")
            }
            for w in warnings { FileHandle.standardError.write(Data("kiosk: warning: \(w)\n".utf8)) }
            print("\(file): OK (kiosk \(config.kioskID)\(warnings.isEmpty ? "" : ", \(warnings.count) warning\(warnings.count == 1 ? "" : "s") on stderr"))")
        }
    }
}

struct MaintenanceCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintenance", abstract: "Staff maintenance: the PIN that opens it on screen.", subcommands: [SetPin.self])

    @ParentCommand var root: KioskCommand

    struct SetPin: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-pin",
            abstract: "Read a new PIN twice (without echo on a terminal; one line each from standard input otherwise) and write its salted hash.")

        @ParentCommand var parent: MaintenanceCLI

        func run() throws {
            let config = try parent.root.loadConfig()
            guard let path = config.pinFilePath else {
                throw OneLineFailure("no config file: pass --config FILE (the PIN's hash is written beside it) or set maintenance.pinFile")
            }
            let terminal = isatty(STDIN_FILENO) == 1
            guard let first = try Self.readPin(prompt: "New maintenance PIN: ", terminal: terminal),
                  let second = try Self.readPin(prompt: "The same PIN again: ", terminal: terminal) else {
                throw OneLineFailure("set-pin: the PIN must be given twice, one line each")
            }
            guard first == second else { throw OneLineFailure("set-pin: the two PINs differ; nothing was written") }
            if let weak = PinHash.weakness(first) { throw OneLineFailure("set-pin: \(weak); nothing was written") }
            let line = try PinHash.make(pin: first).line + "\n"
            do { try Self.writeAtomically(Data(line.utf8), to: path) } catch {
                throw OneLineFailure("set-pin: cannot write \(path): \(error)")
            }
            print("PIN set: \(path)")
        }

        /// One line; with echo off on a terminal, so nobody behind the technician reads it.
        static func readPin(prompt: String, terminal: Bool) throws -> String? {
            guard terminal else { return readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces) }
            FileHandle.standardError.write(Data(prompt.utf8))
            var saved = termios()
            guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return readLine(strippingNewline: true) }
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
            defer {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
            return readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces)
        }

        /// Written whole or not at all (a temporary file, fsync, rename), readable by its owner and group only:
        /// the hash must not be copied off for an offline search.
        static func writeAtomically(_ data: Data, to path: String) throws {
            let temp = path + ".new"
            let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
            guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            var ok = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) == $0.count }
            ok = ok && fsync(fd) == 0
            close(fd)
            guard ok, rename(temp, path) == 0 else {
                let code = POSIXErrorCode(rawValue: errno) ?? .EIO
                unlink(temp)
                throw POSIXError(code)
            }
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let dir = open(folder, O_RDONLY | O_DIRECTORY)
            if dir >= 0 { fsync(dir); close(dir) }
        }
    }
}

extension KioskConfig {
    /// The config and every file it names, read as the kiosk reads them at start, so a broken file shows in
    /// `kiosk config check` or the dashboard's reload and not on a black screen.
    static func checked(path file: String) throws -> KioskConfig {
        let config = try KioskConfig.load(path: file)
        do {
            _ = try loadStreets(config)
            _ = try loadSynonyms(config)
            _ = try config.syncSettings()
            _ = try config.apiKey(environment: [:])
            _ = try config.loadPinHash()
        } catch {
            throw SyncSetupError(description: "\(file): \(error)")
        }
        return config
    }
}
