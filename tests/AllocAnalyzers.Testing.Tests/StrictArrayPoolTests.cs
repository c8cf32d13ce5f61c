using System;
using System.Buffers;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Testing.Tests.Programs;
using Xunit;

namespace AllocAnalyzers.Testing.Tests
{
    /// <summary>The strict array pool on the frame reader (correct) and on the mistakes in PoolMistakes.cs.</summary>
    public class StrictArrayPoolTests
    {
        private static readonly byte[][] Payloads =
        {
            Array.Empty<byte>(),
            Enumerable.Range(0, 10).Select(i => (byte)i).ToArray(),
            Enumerable.Range(0, 200).Select(i => (byte)(i * 7)).ToArray(),
            Enumerable.Range(0, 5000).Select(i => (byte)(i * 13)).ToArray(),
        };

        [Theory]
        [InlineData(0)]
        [InlineData(16)]
        public void FrameReader_GrowsBuffersAndHandsFramesToTheCaller_NoViolation(int quarantine)
        {
            using var pool = new StrictArrayPool<byte>(new StrictPoolOptions { Quarantine = quarantine });
            var reader = new FrameReader(new MemoryStream(FrameReader.Encode(Payloads)), pool);
            for (int round = 0; round < Payloads.Length; round++)
            {
                using var frame = reader.ReadFrame();
                Assert.NotNull(frame);
                Assert.Equal(Payloads[round], frame!.Payload.ToArray());
                Assert.Equal(Payloads[round].Length == 0 ? 0 : 1, pool.Outstanding);
            }

            Assert.Null(reader.ReadFrame());
            Assert.Equal(0, pool.Outstanding);
            pool.Verify();
        }

        [Fact]
        public void FrameReader_CutShort_ReturnsTheBufferOnTheExceptionPath_NoViolation()
        {
            using var pool = new StrictArrayPool<byte>();
            var bytes = FrameReader.Encode(Payloads[3]);
            var reader = new FrameReader(new MemoryStream(bytes, 0, 1000), pool);
            Assert.Throws<EndOfStreamException>(() => reader.ReadFrame());
            Assert.Equal(0, pool.Outstanding);
        }

        [Fact]
        public void SecondReturn_ThrowsAtTheSecondReturn_WithBothReturnStacksAndTheRentStack()
        {
            using var pool = new StrictArrayPool<byte>(new StrictPoolOptions { Name = "frames" });
            var frame = new SloppyFrame(pool, 100);
            frame.Dispose();
            var thrown = Assert.Throws<StrictPoolException>(() => frame.Dispose()); int line = Line();

            var violation = Assert.Single(thrown.Violations);
            Assert.Equal(PoolViolationKind.ReturnedTwice, violation.Kind);
            Assert.Equal("ALLOC402", violation.RuleId);
            Assert.Equal("byte[128] rented from StrictArrayPool<byte> 'frames' was returned a second time: it was back in the pool already, so the pool would hand it to two renters", violation.Message);
            Assert.Contains("SloppyFrame.Dispose()", violation.OffendingStack);
            Assert.Contains(nameof(SecondReturn_ThrowsAtTheSecondReturn_WithBothReturnStacksAndTheRentStack), violation.OffendingStack);
            Assert.Contains("PoolMistakes.cs:line", violation.OffendingStack);
            Assert.Contains("StrictArrayPoolTests.cs:line " + line, violation.OffendingStack);
            Assert.Contains("SloppyFrame.Dispose()", violation.ReturnStack);
            Assert.Contains("SloppyFrame..ctor(", violation.RentStack);
            Assert.DoesNotContain("AllocAnalyzers.Testing.StrictArrayPool", violation.OffendingStack);
            Assert.Contains("docs/rules/ALLOC402.md", thrown.Message);

            Assert.Single(pool.TakeViolations());
        }

        private static int Line([System.Runtime.CompilerServices.CallerLineNumber] int line = 0) => line;

        [Fact]
        public void SecondReturn_DoesNotPutTheArrayInThePoolTwice()
        {
            var pool = new StrictArrayPool<byte>(new StrictPoolOptions { Quarantine = 0, ThrowOnViolation = false });
            var array = pool.Rent(100);
            pool.Return(array);
            pool.Return(array);
            var first = pool.Rent(100);
            var second = pool.Rent(100);
            Assert.NotSame(first, second);

            // The shared pool, given the same calls, hands the one array to both renters: what the violation prevents.
            var shared = ArrayPool<byte>.Shared.Rent(3000);
            ArrayPool<byte>.Shared.Return(shared);
            ArrayPool<byte>.Shared.Return(shared);
            Assert.Same(ArrayPool<byte>.Shared.Rent(3000), ArrayPool<byte>.Shared.Rent(3000));
        }

        [Fact]
        public void SecondReturn_WhileInQuarantine_IsSeenAfterOtherRentals()
        {
            var pool = new StrictArrayPool<byte>(new StrictPoolOptions { ThrowOnViolation = false });
            var stale = pool.Rent(100);
            pool.Return(stale);
            for (int i = 0; i < 10; i++)
            {
                pool.Return(pool.Rent(100));
            }

            pool.Return(stale);
            Assert.Equal(PoolViolationKind.ReturnedTwice, Assert.Single(pool.TakeViolations()).Kind);
        }

        [Fact]
        public void WriteAfterReturn_IsFoundAtVerify_WithTheReturnStack()
        {
            var pool = new StrictArrayPool<byte>();
            var writer = new MessageWriter(pool);
            writer.Write(new byte[] { 1, 2, 3 });
            Assert.Equal(new byte[] { 1, 2, 3 }, writer.Complete());
            writer.Write(new byte[] { 4, 5 });

            var thrown = Assert.Throws<StrictPoolException>(() => pool.Verify());
            var violation = Assert.Single(thrown.Violations);
            Assert.Equal(PoolViolationKind.UsedAfterReturn, violation.Kind);
            Assert.Equal("ALLOC403", violation.RuleId);
            Assert.Contains("byte[256] was written after it was returned to StrictArrayPool<byte>: element [0]", violation.Message);
            Assert.Contains("MessageWriter.Complete()", violation.ReturnStack);
            Assert.Contains("MessageWriter..ctor(", violation.RentStack);
            pool.Verify();
        }

        [Fact]
        public void WriteAfterReturn_IsFoundWhenTheArrayLeavesQuarantine()
        {
            var pool = new StrictArrayPool<byte>(new StrictPoolOptions { Quarantine = 0 });
            var writer = new MessageWriter(pool);
            writer.Write(new byte[] { 1 });
            writer.Complete();
            writer.Write(new byte[] { 9, 9, 9, 9, 9, 9 });

            var violation = Assert.Single(Assert.Throws<StrictPoolException>(() => pool.Rent(200)).Violations);
            Assert.Equal(PoolViolationKind.UsedAfterReturn, violation.Kind);
            Assert.Contains(nameof(WriteAfterReturn_IsFoundWhenTheArrayLeavesQuarantine), violation.OffendingStack);

            var fresh = pool.Rent(200);
            Assert.All(fresh, b => Assert.Equal(0xDE, b));
        }

        [Fact]
        public void RentalLeakedByAnException_IsListedAtVerify_WithItsRentStack()
        {
            var pool = new StrictArrayPool<byte>();
            Assert.Equal(0x7F + 0x80, Checksum.Compute(new MemoryStream(new byte[] { 0x7F, 0x80 }), pool));
            Assert.Throws<InvalidDataException>(() => Checksum.Compute(new MemoryStream(new byte[] { 1, 2, 3 }), pool));
            Assert.Equal(1, pool.Outstanding);

            var thrown = Assert.Throws<StrictPoolException>(() => pool.Dispose());
            var violation = Assert.Single(thrown.Violations);
            Assert.Equal(PoolViolationKind.NotReturned, violation.Kind);
            Assert.Equal("ALLOC401", violation.RuleId);
            Assert.Equal("byte[4096] rented from StrictArrayPool<byte> was never returned", violation.Message);
            Assert.Contains("Checksum.Compute(Stream input, ArrayPool`1 pool)", violation.RentStack);
            Assert.Null(violation.OffendingStack);

            pool.Verify();
        }

        [Fact]
        public void ArrayAllocatedByTheCaller_ReturnedToThePool_IsNotFromThisPool()
        {
            var pool = new StrictArrayPool<char>();
            Assert.Equal("a\\\"b", Escaper.Escape(new string('x', 40) + "a\"b", pool).Substring(40));
            Assert.Equal(0, pool.Outstanding);

            var violation = Assert.Single(Assert.Throws<StrictPoolException>(() => Escaper.Escape("a\"b", pool)).Violations);
            Assert.Equal(PoolViolationKind.NotFromThisPool, violation.Kind);
            Assert.Equal("ALLOC404", violation.RuleId);
            Assert.Equal("char[64] was returned to StrictArrayPool<char>; it was allocated elsewhere or rented from a pool this one does not know: a pool that accepts it hands memory someone else owns to its next renter", violation.Message);
            Assert.Contains("Escaper.Escape(", violation.OffendingStack);
            Assert.Null(violation.RentStack);

            // The shared pool takes the caller's array without a word.
            ArrayPool<char>.Shared.Return(new char[64]);
        }

        [Fact]
        public void ArrayRentedFromAnotherStrictPool_NamesThatPool()
        {
            var input = new StrictArrayPool<byte>(new StrictPoolOptions { Name = "input" });
            var output = new StrictArrayPool<byte>(new StrictPoolOptions { Name = "output", ThrowOnViolation = false });
            var array = input.Rent(32);
            output.Return(array);

            var violation = Assert.Single(output.TakeViolations());
            Assert.Equal("byte[32] was returned to StrictArrayPool<byte> 'output' but from StrictArrayPool<byte> 'input': a pool that accepts it hands memory someone else owns to its next renter", violation.Message);
            Assert.Contains(nameof(ArrayRentedFromAnotherStrictPool_NamesThatPool), violation.RentStack);
            Assert.Equal(1, input.Outstanding);
        }

        [Fact]
        public void ArrayOfReferences_ReturnedWithoutClearing_IsReported_AndClearedAnyway()
        {
            var pool = new StrictArrayPool<string>(new StrictPoolOptions { ThrowOnViolation = false, Quarantine = 0 });
            Assert.Equal(2, CsvFields.CountNonEmpty("a,,b", pool));

            var violation = Assert.Single(pool.TakeViolations());
            Assert.Equal(PoolViolationKind.ReturnedWithoutClearing, violation.Kind);
            Assert.Equal("ALLOC406", violation.RuleId);
            Assert.StartsWith("string[16] was returned to StrictArrayPool<string> without clearArray: true", violation.Message);
            Assert.Contains("CsvFields.CountNonEmpty(", violation.OffendingStack);
            var cleared = pool.Rent(16);
            Assert.All(cleared, Assert.Null);
            cleared[0] = "kept alive";
            pool.Return(cleared, clearArray: true);
            Assert.Empty(pool.TakeViolations());
        }

        [Fact]
        public void ArrayOfReferences_WhenClearingIsNotRequired_IsNotReported()
        {
            var pool = new StrictArrayPool<string>(new StrictPoolOptions { RequireClearingReferences = false });
            Assert.Equal(2, CsvFields.CountNonEmpty("a,,b", pool));
            pool.Verify();
        }

        [Fact]
        public void RentedArrays_HoldPoison_SoCodeThatAssumesZeroesReadsGarbage()
        {
            var pool = new StrictArrayPool<int>();
            var data = new byte[] { 5, 5, 7 };
            Assert.Equal(unchecked((int)0xDEDEDEDE) + 2, Histogram.CountOf(5, data, pool, clearFirst: false));
            Assert.Equal(2, Histogram.CountOf(5, data, pool, clearFirst: true));
            pool.Verify();
        }

        [Fact]
        public void StructsWithoutReferences_ArePoisonedByteByByte_AndWritesToThemFound()
        {
            var pool = new StrictArrayPool<(int Id, long Stamp)>(new StrictPoolOptions { ThrowOnViolation = false });
            var array = pool.Rent(3);
            Assert.All(array, item => Assert.Equal(unchecked((long)0xDEDEDEDEDEDEDEDE), item.Stamp));
            pool.Return(array);
            array[5].Id = 1;

            Assert.Contains("element [5]", Assert.Single(pool.TakeViolations()).Message);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(16)]
        [InlineData(17)]
        [InlineData(1000)]
        [InlineData(4097)]
        [InlineData(1 << 20)]
        public void Lengths_AreTheSharedPoolsLengths(int requested)
        {
            var pool = new StrictArrayPool<byte>();
            var shared = ArrayPool<byte>.Shared.Rent(requested);
            Assert.Equal(shared.Length, pool.Rent(requested).Length);
            ArrayPool<byte>.Shared.Return(shared);
        }

        [Fact]
        public void EmptyRentals_AreTheEmptyArray_AndNeedNoReturn()
        {
            using var pool = new StrictArrayPool<byte>();
            Assert.Same(Array.Empty<byte>(), pool.Rent(0));
            pool.Return(Array.Empty<byte>());
            Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(-1));
            Assert.Throws<ArgumentNullException>(() => pool.Return(null!));
        }

        [Fact]
        public void SwallowedViolation_IsStillReportedByVerify()
        {
            var pool = new StrictArrayPool<byte>();
            var frame = new SloppyFrame(pool, 10);
            frame.Dispose();
            try
            {
                frame.Dispose();
            }
            catch (InvalidOperationException)
            {
                // code under test that logs and goes on
            }

            Assert.Equal(PoolViolationKind.ReturnedTwice, Assert.Single(Assert.Throws<StrictPoolException>(() => pool.Verify()).Violations).Kind);
            pool.Verify();
        }

        [Fact]
        public void SeveralViolations_AreAllListed_EachOnce()
        {
            var pool = new StrictArrayPool<byte>(new StrictPoolOptions { ThrowOnViolation = false });
            var frame = new SloppyFrame(pool, 10);
            frame.Dispose();
            frame.Dispose();
            pool.Rent(50);
            pool.Return(new byte[16]);

            var thrown = Assert.Throws<StrictPoolException>(() => pool.Verify());
            Assert.Equal(
                new[] { PoolViolationKind.ReturnedTwice, PoolViolationKind.NotFromThisPool, PoolViolationKind.NotReturned },
                thrown.Violations.Select(v => v.Kind));
            Assert.StartsWith("3 pool violations:", thrown.Message);
            pool.Verify();
        }

        [Theory]
        [InlineData(StackCapture.None)]
        [InlineData(StackCapture.MethodsOnly)]
        public void CheaperStacks_KeepTheMessage(StackCapture stacks)
        {
            var pool = new StrictArrayPool<byte>(new StrictPoolOptions { Stacks = stacks, ThrowOnViolation = false });
            var frame = new SloppyFrame(pool, 10);
            frame.Dispose();
            frame.Dispose();

            var violation = Assert.Single(pool.TakeViolations());
            Assert.StartsWith("byte[16] rented from StrictArrayPool<byte> was returned a second time", violation.Message);
            if (stacks == StackCapture.None)
            {
                Assert.Null(violation.OffendingStack);
                Assert.Null(violation.RentStack);
            }
            else
            {
                Assert.Contains("SloppyFrame.Dispose()", violation.OffendingStack);
                Assert.DoesNotContain(":line", violation.OffendingStack);
            }
        }

        [Fact]
        public void ConcurrentRentersAndReturners_NoViolation()
        {
            using var pool = new StrictArrayPool<byte>(new StrictPoolOptions { Stacks = StackCapture.None });
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
            {
                for (int i = 0; i < 5000; i++)
                {
                    var array = pool.Rent(16 << (i % 4));
                    array[0] = (byte)worker;
                    pool.Return(array);
                }
            });
            Assert.Equal(0, pool.Outstanding);
        }
    }
}
