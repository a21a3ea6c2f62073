Array.from(new TextEncoder().encode('héllo €'))
