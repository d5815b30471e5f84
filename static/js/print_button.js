// « Imprimer » buttons (data-print): open the browser's print dialog (no inline script: CSP).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
// a printed copy shows every folded part (an export's row, an email's text)
window.addEventListener("beforeprint", () => {
  document.querySelectorAll("details").forEach((details) => {
    details.open = true;
  });
});
