using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
#if NET
using System.Runtime.InteropServices;
#endif

namespace AllocAnalyzers.Testing
{
    /// <summary>
    /// What a returned (and a freshly rented) array is filled with, so that a stale owner's read sees garbage rather
    /// than plausible data, and its write can be found: every byte 0xDE for elements without references (on
    /// netstandard2.0, for the primitive types), the default value (null references) otherwise.
    /// </summary>
    internal static class Poison<T>
    {
        /// <summary>Whether the element type is or contains a reference (such arrays must be returned cleared).</summary>
#if NET
        public static readonly bool HoldsReferences = RuntimeHelpers.IsReferenceOrContainsReferences<T>();

        /// <summary>Whether the poison is the 0xDE byte pattern (else it is the default value).</summary>
        public static readonly bool IsBytePattern = !HoldsReferences;
#else
        public static readonly bool HoldsReferences = ElementTypes.HoldsReferences(typeof(T));

        /// <summary>Whether the poison is the 0xDE byte pattern (else it is the default value).</summary>
        public static readonly bool IsBytePattern = typeof(T).IsPrimitive && typeof(T) != typeof(IntPtr) && typeof(T) != typeof(UIntPtr);
#endif

        /// <summary>The value every element holds while the array is in the pool.</summary>
        public static readonly T Value = MakeValue();

        public const byte Byte = 0xDE;

        public static void Fill(T[] array)
        {
            if (IsBytePattern)
            {
#if NET
                array.AsSpan().Fill(Value);
#else
                for (int i = 0; i < array.Length; i++)
                {
                    array[i] = Value;
                }
#endif
            }
            else
            {
                Array.Clear(array, 0, array.Length);
            }
        }

        /// <summary>The index of the first element that no longer holds the poison, or -1.</summary>
        public static int FindOverwritten(T[] array)
        {
#if NET
            if (IsBytePattern)
            {
                int size = Unsafe.SizeOf<T>();
                int chunk = int.MaxValue / size;
                for (int start = 0; start < array.Length; start += chunk)
                {
                    int count = Math.Min(chunk, array.Length - start);
                    var bytes = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref array[start]), count * size);
                    int at = bytes.IndexOfAnyExcept(Byte);
                    if (at >= 0)
                    {
                        return start + at / size;
                    }
                }

                return -1;
            }
#endif
            var comparer = EqualityComparer<T>.Default;
            for (int i = 0; i < array.Length; i++)
            {
                if (!comparer.Equals(array[i], Value))
                {
                    return i;
                }
            }

            return -1;
        }

        private static T MakeValue()
        {
            if (!IsBytePattern)
            {
                return default!;
            }
#if NET
            T value = default!;
            Unsafe.InitBlockUnaligned(ref Unsafe.As<T, byte>(ref value), Byte, (uint)Unsafe.SizeOf<T>());
            return value;
#else
            var one = new T[1];
            int size = Buffer.ByteLength(one);
            Buffer.BlockCopy(Enumerable.Repeat(Byte, size).ToArray(), 0, one, 0, size);
            return one[0];
#endif
        }
    }

#if !NET
    internal static class ElementTypes
    {
        public static bool HoldsReferences(Type type)
        {
            if (!type.IsValueType)
            {
                return true;
            }

            if (type.IsPrimitive || type.IsEnum || type.IsPointer)
            {
                return false;
            }

            return type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Any(field => HoldsReferences(field.FieldType));
        }
    }
#endif
}
