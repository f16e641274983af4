//! The preview runs for hours and, after each edit, regenerates feeds that are half a
//! gigabyte uncompressed on a 10,000-commitment site. mimalloc (the global allocator,
//! see `main.rs`) returns freed memory to the system only a second after, and only
//! when the process allocates again; an idle preview kept it all. With it returned at
//! once the 10k corpus stays at about 0.75 GB resident after edits instead of 1.3 GB.
//! `build` keeps mimalloc's defaults: it exits right after its peak.

/// mimalloc's `mi_option_purge_delay` (milliseconds before freed memory goes back to
/// the system; 1000 by default in mimalloc 3's `options.c`), by its place in
/// `mi_option_e` in mimalloc 3's `mimalloc.h`, which libmimalloc-sys builds and does
/// not name.
#[cfg(feature = "mimalloc")]
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Makes the allocator hand freed memory back to the system at once.
pub fn return_freed_memory_at_once() {
    #[cfg(feature = "mimalloc")]
    // SAFETY: mi_option_set takes no pointers and may be called at any time; an option
    // only changes when mimalloc purges memory it no longer uses.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0)
    };
}

/// Keeps the process off transparent huge pages. mimalloc asks the kernel for them
/// (`madvise(MADV_HUGEPAGE)`) on the memory it maps; the kernel then backs a touched
/// range with a whole 2 MiB page, and its khugepaged folds any 2 MiB range with one
/// small page in use back into a huge page (default `max_ptes_none` 511), filling the
/// holes mimalloc had handed back. For a build that exits in seconds that is harmless;
/// in a preview running for hours it was the idle climb of issue 23: at 10,000
/// commitments the live heap stayed at 599 MB to the block while resident memory crept
/// from 709 MB after the first edit to 805 MB after the 73rd, half of it huge pages.
/// Without them (`MIMALLOC_ALLOW_THP=0`, same binary): 679 MB after the first edit,
/// 684–700 MB over the next 40. With this flag the kernel ignores mimalloc's requests
/// for the whole process. A no-op outside Linux.
pub fn keep_off_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes no pointers; it only sets a flag on this process
    // (inherited by children, which serve has none of).
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Hands back what the allocator still holds free, after a burst of work: on this
/// thread and on each of rayon's. mimalloc keeps a heap per thread, and memory one
/// thread frees in another's heap waits for that thread to allocate again; rayon's
/// threads sit idle between edits, so they are asked to collect too.
pub fn release_free_memory() {
    #[cfg(feature = "mimalloc")]
    {
        fn collect() {
            // SAFETY: mi_collect takes no pointers and may be called from any thread at
            // any time; it only frees memory mimalloc itself holds unused.
            unsafe { libmimalloc_sys::mi_collect(true) };
        }
        rayon::broadcast(|_| collect());
        collect();
    }
}

/// The global allocator wrapped to count what is live (feature `heap-count`, off by
/// default): `serve` then logs the live heap once idle after each edit, which tells a
/// leak (the live bytes climb) from memory the allocator keeps for reuse (resident
/// memory climbs, live bytes do not). Two relaxed atomic additions per call: cheap
/// enough to run a few hundred edits at 10,000 commitments, not for a benchmark.
pub struct CountingAllocator<A>(pub A);

mod counting {
    use std::alloc::{GlobalAlloc, Layout};
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

    pub static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
    pub static LIVE_BLOCKS: AtomicUsize = AtomicUsize::new(0);

    /// A block the wrapped allocator gave, counted when it is one.
    fn counted_new(block: *mut u8, layout: Layout) -> *mut u8 {
        if !block.is_null() {
            LIVE_BYTES.fetch_add(layout.size(), Relaxed);
            LIVE_BLOCKS.fetch_add(1, Relaxed);
        }
        block
    }

    // SAFETY: every call is passed on unchanged to the wrapped allocator; only the
    // counters are added.
    unsafe impl<A: GlobalAlloc> GlobalAlloc for super::CountingAllocator<A> {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: the caller's contract is the wrapped allocator's.
            counted_new(unsafe { self.0.alloc(layout) }, layout)
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            // SAFETY: as above.
            counted_new(unsafe { self.0.alloc_zeroed(layout) }, layout)
        }

        unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
            // SAFETY: as above.
            unsafe { self.0.dealloc(block, layout) };
            LIVE_BYTES.fetch_sub(layout.size(), Relaxed);
            LIVE_BLOCKS.fetch_sub(1, Relaxed);
        }

        unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: as above.
            let moved = unsafe { self.0.realloc(block, layout, new_size) };
            if !moved.is_null() {
                LIVE_BYTES.fetch_add(new_size, Relaxed);
                LIVE_BYTES.fetch_sub(layout.size(), Relaxed);
            }
            moved
        }
    }
}

/// The live heap, in bytes and blocks, when the binary counts it (`main.rs` installs
/// the counting allocator with the feature).
pub fn live_heap() -> Option<(usize, usize)> {
    cfg!(feature = "heap-count").then(counted)
}

fn counted() -> (usize, usize) {
    use std::sync::atomic::Ordering::Relaxed;
    (counting::LIVE_BYTES.load(Relaxed), counting::LIVE_BLOCKS.load(Relaxed))
}

#[cfg(test)]
mod counting_tests {
    use super::*;
    use std::alloc::{GlobalAlloc, Layout, System};

    /// The test binary's own allocator does not count, so only this test moves the
    /// counters: an allocation, its growth and its release come back to the start.
    #[test]
    fn the_counters_follow_allocation_growth_and_release() {
        let counting = CountingAllocator(System);
        let start = counted();
        let layout = Layout::from_size_align(100, 8).expect("a valid layout");
        // SAFETY: the layout is non-zero; each block is freed with the layout it has.
        unsafe {
            let block = counting.alloc(layout);
            assert!(!block.is_null());
            assert_eq!(counted(), (start.0 + 100, start.1 + 1));
            let grown = counting.realloc(block, layout, 300);
            assert!(!grown.is_null());
            assert_eq!(counted(), (start.0 + 300, start.1 + 1));
            let zeroed = counting.alloc_zeroed(layout);
            assert_eq!(std::slice::from_raw_parts(zeroed, 100), &[0; 100][..]);
            assert_eq!(counted(), (start.0 + 400, start.1 + 2));
            counting.dealloc(zeroed, layout);
            counting.dealloc(grown, Layout::from_size_align(300, 8).expect("a valid layout"));
        }
        assert_eq!(counted(), start);
    }
}

#[cfg(all(test, feature = "mimalloc"))]
mod tests {
    use super::*;

    /// The option's number is not named by the crate: check it is the purge delay by
    /// its default (1000 ms), which no other option of mimalloc 3 has; then that the
    /// preview sets it to 0. (One test: the option is the whole process's.)
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: as above; mi_option_get only reads.
        let delay = || unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(delay(), 1000);
        }
        return_freed_memory_at_once();
        assert_eq!(delay(), 0, "freed memory goes back at once");
    }
}
