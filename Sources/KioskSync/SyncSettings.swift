// What the kiosk's sync needs to know about the central server: where, who it is, whom to trust, how long
// to wait and how much to read.
import Crypto
import Foundation
import KioskProtocol

public struct SyncSettings: Sendable {
    /// `http://127.0.0.1:8080` or `https://…`; Open311 lives under `open311Path`, our endpoints under `/kiosk/v1`.
    public var serverURL: String
    public var open311Path: String
    public var apiKey: String?
    public var kioskID: String
    public var softwareVersion: String
    /// Empty: the feed step is skipped and reported as "not configured" (not a failure).
    public var feedPublicKeys: [Curve25519.Signing.PublicKey]

    /// PEM file (or folder) of the CAs the server's certificate must chain to; nil: the system's.
    public var caBundlePath: String?
    /// The kiosk's identity towards the server (PEM), both or neither.
    public var clientCertificatePath: String?
    public var clientKeyPath: String?

    public var connectTimeout: TimeInterval
    /// Longest silence while reading an answer.
    public var readTimeout: TimeInterval
    /// A resident waiting at the ticket lookup is not held longer than this.
    public var lookupTimeout: TimeInterval
    /// The duplicate step gives up after this and shows nothing.
    public var nearbyTimeout: TimeInterval

    public var maxOpen311Bytes: Int
    public var maxFeedBytes: Int

    /// Exponential backoff with full jitter: attempt n waits a random time in [0, min(cap, base·2ⁿ⁻¹)].
    public var backoffBase: TimeInterval
    public var backoffCap: TimeInterval
    /// A server's Retry-After longer than this is not believed.
    public var retryAfterCap: TimeInterval
    /// Time between rounds of the background loop when all is well.
    public var roundInterval: TimeInterval
    /// Submissions pushed per round at most (the rest next round, in order).
    public var pushBatch: Int

    public init(serverURL: String, open311Path: String = Open311.basePath, apiKey: String? = nil, kioskID: String,
                softwareVersion: String, feedPublicKeys: [Curve25519.Signing.PublicKey] = [],
                caBundlePath: String? = nil, clientCertificatePath: String? = nil, clientKeyPath: String? = nil,
                connectTimeout: TimeInterval = 5, readTimeout: TimeInterval = 15, lookupTimeout: TimeInterval = 4,
                nearbyTimeout: TimeInterval = 3, maxOpen311Bytes: Int = 1 << 20, maxFeedBytes: Int = SignedFeed.maxBytes,
                backoffBase: TimeInterval = 2, backoffCap: TimeInterval = 15 * 60, retryAfterCap: TimeInterval = 3600,
                roundInterval: TimeInterval = 60, pushBatch: Int = 200) {
        self.serverURL = serverURL; self.open311Path = open311Path; self.apiKey = apiKey; self.kioskID = kioskID
        self.softwareVersion = softwareVersion; self.feedPublicKeys = feedPublicKeys
        self.caBundlePath = caBundlePath; self.clientCertificatePath = clientCertificatePath; self.clientKeyPath = clientKeyPath
        self.connectTimeout = connectTimeout; self.readTimeout = readTimeout; self.lookupTimeout = lookupTimeout
        self.nearbyTimeout = nearbyTimeout; self.maxOpen311Bytes = maxOpen311Bytes; self.maxFeedBytes = maxFeedBytes
        self.backoffBase = backoffBase; self.backoffCap = backoffCap; self.retryAfterCap = retryAfterCap
        self.roundInterval = roundInterval; self.pushBatch = pushBatch
    }
}

/// Exponential backoff with full jitter (the AWS architecture blog's "full jitter"): spreads kiosks that lost
/// the server at the same moment instead of having them return together.
public struct Backoff: Sendable {
    public var base: TimeInterval
    public var cap: TimeInterval
    /// A number in [0, 1]; injected so tests see the bound and the spread.
    public var jitter: @Sendable () -> Double

    public init(base: TimeInterval, cap: TimeInterval, jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) {
        self.base = base; self.cap = cap; self.jitter = jitter
    }

    /// The ceiling after `failures` failures in a row (1 for the first).
    public func ceiling(failures: Int) -> TimeInterval {
        let n = max(0, min(failures - 1, 40))
        return min(cap, base * pow(2, Double(n)))
    }

    public func delay(failures: Int) -> TimeInterval {
        ceiling(failures: failures) * min(1, max(0, jitter()))
    }
}
