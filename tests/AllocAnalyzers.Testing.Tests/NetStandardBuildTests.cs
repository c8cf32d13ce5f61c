using System;
using System.Buffers;
using System.Collections;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Xunit;

namespace AllocAnalyzers.Testing.Tests
{
    /// <summary>
    /// The netstandard2.0 build (what a .NET Framework test project gets), loaded beside the net8.0 one the other tests
    /// use: its own poison (primitives only), reference detection and eagerly read source lines.
    /// </summary>
    public class NetStandardBuildTests
    {
        private static readonly Assembly Build = new AssemblyLoadContext("netstandard2.0 build").LoadFromAssemblyPath(
            System.IO.Path.GetFullPath(typeof(NetStandardBuildTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NetStandardBuild").Value!));

        [Fact]
        public void IsTheNetStandardBuild()
            => Assert.Equal(".NETStandard,Version=v2.0", Build.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>()!.FrameworkName);

        [Fact]
        public void PrimitiveArrays_HoldThePoison_AndWritesAfterReturnAreFound()
        {
            var pool = (ArrayPool<int>)New<int>();
            var array = pool.Rent(20);
            Assert.Equal(32, array.Length);
            Assert.All(array, value => Assert.Equal(unchecked((int)0xDEDEDEDE), value));
            pool.Return(array);
            array[3] = 0;

            var violation = Assert.Single(TakeViolations(pool));
            Assert.Contains("int[32] was written after it was returned to StrictArrayPool<int>: element [3]", Message(violation));
        }

        [Fact]
        public void StructsWithReferences_MustBeCleared_AndStructsWithoutAreCleared()
        {
            var references = (ArrayPool<(int, string)>)New<(int, string)>();
            references.Return(references.Rent(4));
            Assert.Contains("without clearArray: true", Message(Assert.Single(TakeViolations(references))));

            var plain = (ArrayPool<(int, long)>)New<(int, long)>();
            var array = plain.Rent(4);
            Assert.All(array, item => Assert.Equal(default, item));
            plain.Return(array);
            array[1] = (1, 2);
            Assert.Contains("element [1]", Message(Assert.Single(TakeViolations(plain))));
        }

        [Fact]
        public void SecondReturn_ThrowsWithSourceLines()
        {
            var pool = (ArrayPool<byte>)New<byte>(throwing: true);
            var array = pool.Rent(10);
            pool.Return(array);
            var thrown = Assert.ThrowsAny<InvalidOperationException>(() => pool.Return(array));
            Assert.Equal("StrictPoolException", thrown.GetType().Name);
            Assert.Contains("ALLOC402: byte[16] rented from StrictArrayPool<byte> was returned a second time", thrown.Message);
            Assert.Contains("NetStandardBuildTests.cs:line", thrown.Message);
        }

        private static object New<T>(bool throwing = false)
        {
            var options = Activator.CreateInstance(Build.GetType("AllocAnalyzers.Testing.StrictPoolOptions", throwOnError: true)!)!;
            options.GetType().GetProperty("ThrowOnViolation")!.SetValue(options, throwing);
            return Activator.CreateInstance(Build.GetType("AllocAnalyzers.Testing.StrictArrayPool`1", throwOnError: true)!.MakeGenericType(typeof(T)), options)!;
        }

        private static object[] TakeViolations(object pool)
            => ((IEnumerable)pool.GetType().GetMethod("TakeViolations")!.Invoke(pool, null)!).Cast<object>().ToArray();

        private static string Message(object violation) => (string)violation.GetType().GetProperty("Message")!.GetValue(violation)!;
    }
}
