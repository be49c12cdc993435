// swift-tools-version: 6.0
// The Łódź contact-centre kiosk: modules follow ../shared/architecture.md.
import PackageDescription

let package = Package(
    name: "kiosk",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kiosk", targets: ["kiosk"]),
        .executable(name: "kiosk-central", targets: ["kiosk-central"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Ed25519 for the signed Knowledge Base feed.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // The kiosk's HTTP client: TLS with a CA bundle and a client certificate, connect and read timeouts.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // kiosk-central's HTTP server (it already builds on async-http-client's NIO).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Named because KioskCentral uses them directly (Hummingbird brings them already).
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // C shims: one per C library family. SDL2, SDL2_ttf and SDL2_image are one family.
        .systemLibrary(name: "CSDL2", providers: [.apt(["libsdl2-dev", "libsdl2-ttf-dev", "libsdl2-image-dev"])]),
        .systemLibrary(name: "CFontconfig", pkgConfig: "fontconfig", providers: [.apt(["libfontconfig-dev"])]),
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        // libcups2 ships no cups.pc: the modulemap links "cups" itself.
        .systemLibrary(name: "CCUPS", providers: [.apt(["libcups2-dev"])]),
        .systemLibrary(name: "CEspeakNG", pkgConfig: "espeak-ng", providers: [.apt(["libespeak-ng-dev"])]),

        .target(name: "KioskCore"),
        .target(name: "KioskUI", dependencies: ["KioskCore", "CQREncode"]),
        .target(name: "KioskStore", dependencies: ["KioskCore", .product(name: "GRDB", package: "GRDB.swift"),
                                                   .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        .target(name: "KioskPrint", dependencies: ["KioskCore", "CCUPS"]),
        // Speech output: espeak-ng turns text into samples; SDL (KioskSDL) plays them.
        .target(name: "KioskSpeech", dependencies: ["KioskCore", "CEspeakNG"]),
        .target(name: "KioskProtocol", dependencies: ["KioskCore", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "KioskSync", dependencies: [
            "KioskCore", "KioskProtocol", .product(name: "AsyncHTTPClient", package: "async-http-client"),
            // Named because the client's TLS and deadlines use them directly (AsyncHTTPClient brings them).
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .target(name: "KioskSDL", dependencies: ["KioskCore", "KioskUI", "CSDL2", "CFontconfig"]),
        .target(name: "KioskTesting", dependencies: ["KioskCore", "KioskUI", "KioskStore"]),
        // The wiring shared by `kiosk` and the tests (Hummingbird's buildApplication habit).
        .target(name: "KioskApp", dependencies: [
            "KioskCore", "KioskUI", "KioskStore", "KioskSDL", "KioskPrint", "KioskProtocol", "KioskSync", "KioskSpeech",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            // PBKDF2 for the maintenance PIN's hash.
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "CryptoExtras", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "kiosk", dependencies: ["KioskApp"]),
        // The reference central server: Open311, the signed feed, heartbeats and the fleet view.
        .target(name: "KioskCentral", dependencies: [
            "KioskCore", "KioskProtocol",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "kiosk-central", dependencies: ["KioskCentral"]),

        .testTarget(name: "KioskCoreTests", dependencies: ["KioskCore"]),
        .testTarget(name: "KioskUITests", dependencies: ["KioskUI", "KioskTesting"]),
        .testTarget(name: "KioskStoreTests", dependencies: ["KioskStore", "KioskTesting", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "KioskPrintTests", dependencies: ["KioskPrint", "KioskTesting"]),
        .testTarget(name: "KioskProtocolTests", dependencies: ["KioskProtocol"]),
        .testTarget(name: "KioskSpeechTests", dependencies: ["KioskSpeech", "KioskCore"]),
        .testTarget(name: "KioskSyncTests", dependencies: ["KioskSync", "KioskProtocol", "KioskCentral", "KioskTesting"]),
        .testTarget(name: "KioskCentralTests", dependencies: [
            "KioskCentral", "KioskProtocol", "KioskCore", .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .testTarget(name: "KioskSDLTests", dependencies: ["KioskSDL", "KioskTesting", "KioskApp", "KioskStore"], exclude: ["Reference"]),
        .testTarget(name: "KioskAppTests", dependencies: ["KioskApp", "KioskTesting", "KioskStore", "KioskPrint", "KioskSDL", "KioskProtocol", "KioskSync"], exclude: ["__Snapshots__", "Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
