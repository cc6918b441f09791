import Foundation

/// CPU time of this process (user + system, all threads), seconds.
public enum ProcessClock {
    public static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Monotonic wall clock, seconds.
    public static func wallSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) * 1e-9
    }
}
