using System;
using System.Text;
using AllocAnalyzers.Testing.Tests.Programs;
using Microsoft.Extensions.ObjectPool;
using Xunit;

namespace AllocAnalyzers.Testing.Tests
{
    /// <summary>The strict object pool, through the provider a service collection would hold, on the report formatter.</summary>
    public class StrictObjectPoolTests
    {
        [Fact]
        public void Formatter_GetsAndReturnsOnEveryPath_NoViolation()
        {
            using var provider = new StrictObjectPoolProvider();
            var formatter = new ReportFormatter(provider);
            for (int i = 0; i < 40; i++)
            {
                Assert.Equal("coffee: 3.50", formatter.Line("coffee", 3.5m));
                Assert.Equal("tea: 2", formatter.LineOrError("tea", 2));
            }

            Assert.Equal(0, provider.Outstanding);
            provider.Verify();
        }

        [Fact]
        public void ReturnInCatchAndFinally_ThrowsAtTheSecondReturn()
        {
            var provider = new StrictObjectPoolProvider();
            var formatter = new ReportFormatter(provider);
            var violation = Assert.Single(Assert.Throws<StrictPoolException>(() => formatter.LineOrError("tea", -1)).Violations);
            Assert.Equal(PoolViolationKind.ReturnedTwice, violation.Kind);
            Assert.Equal("StringBuilder rented from StrictObjectPool<StringBuilder> was returned a second time: it was back in the pool already, so the pool would hand it to two renters", violation.Message);
            Assert.Contains("ReportFormatter.LineOrError(", violation.OffendingStack);
            Assert.Contains("ReportFormatter.LineOrError(", violation.RentStack);
            Assert.Single(provider.TakeViolations());
        }

        [Fact]
        public void UseAfterReturn_IsFoundWhenTheObjectLeavesQuarantine()
        {
            var provider = new StrictObjectPoolProvider(new StrictPoolOptions { Quarantine = 0 });
            var formatter = new ReportFormatter(provider);
            Assert.Equal("first", formatter.Continue("first"));

            var violation = Assert.Single(Assert.Throws<StrictPoolException>(() => formatter.Continue("second")).Violations);
            Assert.Equal(PoolViolationKind.UsedAfterReturn, violation.Kind);
            Assert.Equal("StringBuilder was used after it was returned to StrictObjectPool<StringBuilder>: its state changed from \"\" to \" (continued)\" while it was in the pool, so an owner that had returned it still used it", violation.Message);
            Assert.Contains("ReportFormatter.Continue(", violation.ReturnStack);
        }

        [Fact]
        public void UseAfterReturn_InQuarantine_IsFoundAtVerify()
        {
            var provider = new StrictObjectPoolProvider();
            var formatter = new ReportFormatter(provider);
            formatter.Continue("first");
            formatter.Continue("second");

            var violation = Assert.Single(Assert.Throws<StrictPoolException>(() => provider.Verify()).Violations);
            Assert.Equal("ALLOC403", violation.RuleId);
            provider.Verify();
        }

        [Fact]
        public void ObjectNotFromThePool_IsReported()
        {
            var pool = new StrictObjectPool<StringBuilder>(new StringBuilderPooledObjectPolicy());
            var violation = Assert.Single(Assert.Throws<StrictPoolException>(() => pool.Return(new StringBuilder())).Violations);
            Assert.Equal(PoolViolationKind.NotFromThisPool, violation.Kind);
            Assert.Equal("ALLOC404", violation.RuleId);
        }

        [Fact]
        public void ObjectNeverReturned_IsListedAtDispose_WithItsRentStack()
        {
            var pool = new StrictObjectPool<StringBuilder>(new StringBuilderPooledObjectPolicy());
            pool.Get().Append("kept");
            var violation = Assert.Single(Assert.Throws<StrictPoolException>(() => pool.Dispose()).Violations);
            Assert.Equal("StringBuilder rented from StrictObjectPool<StringBuilder> was never returned", violation.Message);
            Assert.Contains(nameof(ObjectNeverReturned_IsListedAtDispose_WithItsRentStack), violation.RentStack);
        }

        [Fact]
        public void ObjectThePolicyDrops_ReturnedAgain_IsStillASecondReturn()
        {
            var pool = new StrictObjectPool<StringBuilder>(new StringBuilderPooledObjectPolicy { MaximumRetainedCapacity = 16 }, new StrictPoolOptions { ThrowOnViolation = false });
            var text = pool.Get().Append(new string('x', 100));
            pool.Return(text);
            pool.Return(text);
            Assert.Equal(PoolViolationKind.ReturnedTwice, Assert.Single(pool.TakeViolations()).Kind);
        }

        [Fact]
        public void DisposableObjects_AreDisposedWhenDroppedAndWhenThePoolIsDisposed()
        {
            var pool = new StrictObjectPool<Resource>(new ResourcePolicy());
            var kept = pool.Get();
            var dropped = pool.Get();
            dropped.Broken = true;
            pool.Return(kept);
            pool.Return(dropped);
            Assert.True(dropped.Disposed);
            Assert.False(kept.Disposed);
            pool.Dispose();
            Assert.True(kept.Disposed);
        }

        [Fact]
        public void CustomSnapshot_FindsUseAfterReturnOfAnyType()
        {
            var pool = new StrictObjectPool<Resource>(new ResourcePolicy(), new StrictPoolOptions { ThrowOnViolation = false }, snapshot: r => r.Uses);
            var resource = pool.Get();
            pool.Return(resource);
            resource.Uses++;
            Assert.Contains("its state changed from 0 to 1", Assert.Single(pool.TakeViolations()).Message);
        }

        private sealed class Resource : IDisposable
        {
            public bool Broken { get; set; }

            public bool Disposed { get; private set; }

            public int Uses { get; set; }

            public void Dispose() => Disposed = true;
        }

        private sealed class ResourcePolicy : IPooledObjectPolicy<Resource>
        {
            public Resource Create() => new Resource();

            public bool Return(Resource obj) => !obj.Broken;
        }
    }
}
