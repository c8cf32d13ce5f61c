using System;

namespace AllocAnalyzers.Profiler
{
    /// <summary>A problem with the user's input or target (no such process, no samples, unreadable file): one message, exit code 1.</summary>
    internal sealed class ProfilerException : Exception
    {
        public ProfilerException(string message)
            : base(message)
        {
        }
    }
}
