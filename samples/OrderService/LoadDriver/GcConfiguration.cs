using System.Collections.Generic;

namespace OrderService.LoadDriver
{
    /// <summary>A GC set-up a child process starts with, through the runtime's documented environment variables.</summary>
    internal sealed record GcConfiguration(string Name, string Description, IReadOnlyDictionary<string, string> Environment)
    {
        /// <summary>A small gen0 budget (256 KiB), where every allocated byte turns into collections sooner.</summary>
        public const string SmallGen0Hex = "0x40000";

        public static readonly GcConfiguration[] All =
        {
            new("workstation", "Workstation GC (concurrent, the default for console apps)",
                new Dictionary<string, string> { ["DOTNET_gcServer"] = "0", ["DOTNET_GCgen0size"] = string.Empty }),
            new("server", "Server GC (the ASP.NET Core default)",
                new Dictionary<string, string> { ["DOTNET_gcServer"] = "1", ["DOTNET_GCgen0size"] = string.Empty }),
            new("small-gen0", "Workstation GC with a small gen0 budget (DOTNET_GCgen0size=" + SmallGen0Hex + ")",
                new Dictionary<string, string> { ["DOTNET_gcServer"] = "0", ["DOTNET_GCgen0size"] = SmallGen0Hex }),
        };
    }
}
