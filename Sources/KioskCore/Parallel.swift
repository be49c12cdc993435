// Work on large imports split over the machine's cores: parsing and indexing a 10,000-article feed is
// independent per article, and a kiosk PC has two to four cores that are otherwise idle in the background.
import Dispatch
import Foundation

public enum Parallel {
    /// Threads to use: the cores there are, at most 4 (more gains little against the sequential rest).
    public static var width: Int { min(4, max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    /// `transform` over contiguous chunks of `items`, one chunk per thread, results in order. Small inputs stay
    /// on the calling thread. Each chunk stops at its first error; the error of the earliest chunk is thrown,
    /// so the caller sees the same first failure as a sequential loop would for independent items.
    public static func mapChunks<T, R, E: Error>(_ items: [T], width: Int = Parallel.width, minimumChunk: Int = 64,
                                                 _ transform: ([T].SubSequence) throws(E) -> [R]) throws(E) -> [R] {
        let chunks = min(width, max(1, items.count / max(1, minimumChunk)))
        if chunks <= 1 { return try transform(items[...]) }
        let size = (items.count + chunks - 1) / chunks
        let results = Box<[R], E>(count: chunks)
        // concurrentPerform returns only when every chunk is done, each chunk reads its own items and the
        // transforms here only read what they capture: nothing is shared mutably, which the compiler cannot see.
        withoutActuallyEscaping(transform) { transform in
            let shared = Unchecked((items: items, transform: transform))
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let (items, transform) = shared.value
                let lo = c * size, hi = min(items.count, lo + size)
                guard lo < hi else { results.set(c, .success([])); return }
                do throws(E) {
                    results.set(c, .success(try transform(items[lo..<hi])))
                } catch {
                    results.set(c, .failure(error))
                }
            }
        }
        var out: [R] = []
        out.reserveCapacity(items.count)
        for c in 0..<chunks {
            switch results.get(c) {
            case let .success(part)?: out.append(contentsOf: part)
            case let .failure(error)?: throw error
            case nil: preconditionFailure("DispatchQueue.concurrentPerform returned before running every iteration")
            }
        }
        return out
    }

    private struct Unchecked<V>: @unchecked Sendable {
        let value: V
        init(_ value: V) { self.value = value }
    }

    /// One result slot per chunk, each written by one thread and read after all have finished.
    private final class Box<R, E: Error>: @unchecked Sendable {
        private var slots: [Result<R, E>?]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ r: Result<R, E>) { lock.withLock { slots[i] = r } }
        func get(_ i: Int) -> Result<R, E>? { lock.withLock { slots[i] } }
    }
}

/// Work started on another thread now and waited for where its result is needed: a feed's articles are
/// encoded while the same transaction writes their search index.
public final class Pending<R: Sendable>: @unchecked Sendable {
    // Written once on the worker before `done` is left, read only after waiting on it.
    private var result: Result<R, any Error>?
    private let done = DispatchGroup()

    public init(_ work: @escaping @Sendable () throws -> R) {
        done.enter()
        DispatchQueue.global(qos: .userInitiated).async {
            self.result = Result { try work() }
            self.done.leave()
        }
    }

    public func value() throws -> R {
        done.wait()
        guard let result else { preconditionFailure("Pending: the work left without a result") }
        return try result.get()
    }
}
