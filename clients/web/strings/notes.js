// The words of the clerk's notes (clerk/notes.js).

export const NOTES = {
  vi: {
    "notes.tab": "Ghi chép",
    "notes.write": "Ghi chép diễn biến",
    "notes.placeholder": "Nội dung ghi chép… (Ctrl+Enter để lưu)",
    "notes.add": "Lưu ghi chép",
    "notes.on_item": "Ghi vào nội dung {n}: {title}",
    "notes.no_item": "Chưa có nội dung nào đang thảo luận: ghi chép chung của phiên họp.",
    "notes.current_item": "Nội dung đang thảo luận ({n})",
    "notes.of_item": "Xem ghi chép của",
    "notes.none": "Chưa có ghi chép nào.",
    "notes.waiting": "chờ gửi",
    "notes.waiting_n": "{n} chờ gửi",
    "notes.edited": "sửa lúc {time}",
    "notes.edit": "Sửa",
    "notes.save": "Lưu",
    "notes.locked": "Biên bản đã được thông qua: không thể thêm hoặc sửa ghi chép.",
  },

  en: {
    "notes.tab": "Notes",
    "notes.write": "Notes of the proceedings",
    "notes.placeholder": "What happened… (Ctrl+Enter to save)",
    "notes.add": "Save the note",
    "notes.on_item": "On item {n}: {title}",
    "notes.no_item": "No item under discussion: a note on the sitting as a whole.",
    "notes.current_item": "The item under discussion ({n})",
    "notes.of_item": "Notes of",
    "notes.none": "No notes yet.",
    "notes.waiting": "waiting to be sent",
    "notes.waiting_n": "{n} waiting",
    "notes.edited": "corrected at {time}",
    "notes.edit": "Correct",
    "notes.save": "Save",
    "notes.locked": "The minutes are approved: notes can no longer be added or corrected.",
  },
};
