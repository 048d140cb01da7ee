// Short confirmations ("Issue CTX-0003 created") shown in a polite live region.

export interface Notice {
  id: number;
  text: string;
}

class Notices {
  items = $state<Notice[]>([]);
  private next = 1;

  show(text: string, ms = 5000): void {
    const id = this.next++;
    this.items = [...this.items, { id, text }];
    setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }
}

export const notices = new Notices();
