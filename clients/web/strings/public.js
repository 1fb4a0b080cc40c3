// Words of the public screens (the public page, the hall display) for a closed session, and
// the refusal of closing the sitting while a vote is open. A part of the table in
// core/strings.js (listed in its PARTS); Vietnamese in NFC, like every string.

export const PUBLIC = {
  vi: {
    "public.closed_session": "Phiên họp kín đang diễn ra",
    "public.closed_session_hint": "Nội dung họp kín không được công khai. Trang sẽ tiếp tục khi phiên họp công khai trở lại.",
    "error.vote_open": "Đang có biểu quyết: kết thúc biểu quyết (hoặc nhập kết quả kiểm phiếu) trước khi bế mạc.",
  },
  en: {
    "public.closed_session": "Closed session in progress",
    "public.closed_session_hint": "A closed session is not public. This page carries on when the open sitting resumes.",
    "error.vote_open": "A vote is open: close it (or enter its counts) before closing the sitting.",
  },
};
