using System;
using System.Reflection;
using System.Reflection.Emit;

namespace AllocAnalyzers.RuntimeHost
{
    /// <summary>The measuring loop: <c>for (i = 0; i &lt; n; i++) Sink&lt;T&gt;.Value = calli(M);</c>, and the bytes it allocates.</summary>
    internal static class Measure
    {
        /// <summary>
        /// The fewest bytes per call over three runs of <paramref name="calls"/> calls: a cost of the method recurs in
        /// every run, one-off work of the runtime (a lazy initialization, a tier-up) shows in one at most.
        /// </summary>
        public static double BytesPerCall(Action<int> loop, int calls)
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

        /// <summary>The median over seven runs of the time per call, each run about 40 ms of calls.</summary>
        public static double NanosecondsPerCall(Action<int> loop)
        {
            int calls = 1000;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            loop(calls);
            while (watch.Elapsed.TotalMilliseconds < 40 && calls < 1 << 28)
            {
                calls *= 2;
                watch.Restart();
                loop(calls);
            }

            var runs = new double[7];
            for (int run = 0; run < runs.Length; run++)
            {
                watch.Restart();
                loop(calls);
                runs[run] = watch.Elapsed.TotalMilliseconds * 1e6 / calls;
            }

            Array.Sort(runs);
            return runs[runs.Length / 2];
        }

        public static Action<int> CreateLoop(MethodInfo target)
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
            il.Emit(OpCodes.Ldc_I8, (long)target.MethodHandle.GetFunctionPointer());
            il.Emit(OpCodes.Conv_I);
            il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, target.ReturnType, Type.EmptyTypes, null);
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

    /// <summary>Where measured calls store their results, so the JIT cannot drop the work.</summary>
    public static class Sink<T>
    {
        public static T? Value;
    }
}
