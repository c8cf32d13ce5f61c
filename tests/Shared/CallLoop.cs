using System;
using System.Reflection;
using System.Reflection.Emit;

namespace AllocAnalyzers.Shared
{
    /// <summary>
    /// The loop every runtime measurement runs: <c>for (i = 0; i &lt; n; i++) Sink&lt;T&gt;.Value = M();</c>, emitted as
    /// IL. Shared by the in-process proofs of the tests and the runtime host of .NET 8, 9 and 10.
    /// </summary>
    public static class CallLoop
    {
        /// <summary>
        /// The loop over <paramref name="target"/> (static, parameterless). <paramref name="throughPointer"/> calls it
        /// through a function pointer, which the JIT never inlines: the allocations measured are then those of the
        /// method's own code, not of a copy of it placed inside the measuring loop.
        /// </summary>
        public static Action<int> Create(MethodInfo target, bool throughPointer)
        {
            var method = new DynamicMethod("CallLoop", typeof(void), new[] { typeof(int) }, target.Module, skipVisibility: true);
            var il = method.GetILGenerator();
            var i = il.DeclareLocal(typeof(int));
            var check = il.DefineLabel();
            var body = il.DefineLabel();
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Stloc, i);
            il.Emit(OpCodes.Br, check);
            il.MarkLabel(body);
            if (throughPointer)
            {
                il.Emit(OpCodes.Ldc_I8, (long)target.MethodHandle.GetFunctionPointer());
                il.Emit(OpCodes.Conv_I);
                il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, target.ReturnType, Type.EmptyTypes, null);
            }
            else
            {
                il.Emit(OpCodes.Call, target);
            }

            if (target.ReturnType != typeof(void))
            {
                il.Emit(OpCodes.Stsfld, typeof(Sink<>).MakeGenericType(target.ReturnType).GetField(nameof(Sink<int>.Value))!);
            }

            il.Emit(OpCodes.Ldloc, i);
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Stloc, i);
            il.MarkLabel(check);
            il.Emit(OpCodes.Ldloc, i);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Blt, body);
            il.Emit(OpCodes.Ret);
            return (Action<int>)method.CreateDelegate(typeof(Action<int>));
        }
    }

    /// <summary>What a measuring loop allocates.</summary>
    public static class Allocated
    {
        /// <summary>
        /// The fewest bytes per call over three runs of <paramref name="calls"/> calls of <paramref name="loop"/>: a cost
        /// of the method recurs in every run, while one-off work the runtime does on the thread now and then (a lazy
        /// initialization in the framework, a tier-up) inflates one at most.
        /// </summary>
        public static double FewestBytesPerCall(Action<int> loop, int calls)
        {
            long fewest = long.MaxValue;
            for (int run = 0; run < 3; run++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                loop(calls);
                fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            return (double)fewest / calls;
        }
    }

    /// <summary>Where measured calls store their results, so the JIT cannot drop the work.</summary>
    public static class Sink<T>
    {
        public static T? Value;
    }
}
