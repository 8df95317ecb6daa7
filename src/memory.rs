//! Sizing what lives for the whole run exactly.
//!
//! Every page's model stays in memory until its own checks have run, so the spare room of its
//! lists adds up over a doc set. Shrinking a list in place does not give that room back: the
//! allocator keeps a block that shrinks by less than half as it is, and a list grown by
//! doubling is always at least half full. [`exact`] copies such a list into a block of its
//! length instead.

/// `list` without spare capacity: moved into an allocation of exactly its length when it has
/// spare room, as it is otherwise.
pub fn exact<T>(list: Vec<T>) -> Vec<T> {
    if list.capacity() == list.len() {
        return list;
    }
    let mut exact = Vec::with_capacity(list.len());
    exact.extend(list);
    exact
}

/// `list` as a boxed slice in an allocation of exactly its length (see [`exact`]).
pub fn exact_box<T>(list: Vec<T>) -> Box<[T]> {
    exact(list).into_boxed_slice()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_with_spare_room_are_copied_exactly() {
        let mut list: Vec<u32> = Vec::with_capacity(16);
        list.extend([1, 2, 3]);
        let list = exact(list);
        assert_eq!((list.as_slice(), list.capacity()), (&[1, 2, 3][..], 3));
        assert_eq!(&*exact_box(vec![4u8; 5]), &[4u8; 5]);
        assert_eq!(exact(Vec::<String>::with_capacity(8)).capacity(), 0);
    }

    /// A list already exact is returned as it is, not copied.
    #[test]
    fn an_exact_list_keeps_its_allocation() {
        let list = vec![1u64, 2, 3];
        let at = list.as_ptr();
        let list = exact(list);
        assert_eq!(list.as_ptr(), at);
    }
}
